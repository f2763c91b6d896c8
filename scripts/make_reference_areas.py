"""Write the synthetic small-area seed `seeds/reference/reference__areas.csv`.

The areas stand in for Lower layer Super Output Areas (LSOAs): each has a synthetic code, a name built from a
real town in its police force area, a real outward postcode (district) of that town, the force and region, a
deprivation decile and a relative resident count. Forces get areas in proportion to their population (read
from `reference__police_forces.csv`, at least 5 each). Deprivation deciles are ranked nationally by weighted
population so that each decile holds about a tenth of residents, with big-city and seaside towns tilted
towards the deprived end.

Deterministic: a fixed seed and the standard library only. Run from anywhere:
`python scripts/make_reference_areas.py`; it rewrites the CSV in place.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20190401
TOTAL_AREAS = 2000
MIN_AREAS_PER_FORCE = 5
REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPO_ROOT / "seeds" / "reference"
FORCES_CSV = SEED_DIR / "reference__police_forces.csv"
AREAS_CSV = SEED_DIR / "reference__areas.csv"
SECTORS_CSV = SEED_DIR / "reference__postcode_sectors.csv"

# Real towns (or London boroughs) of each police force area with real postcode districts, and a deprivation
# tilt: +2 very deprived on average, +1 deprived, 0 mixed, -1 affluent, -2 very affluent. The number of
# districts listed roughly reflects the town's size, and areas are shared among towns in that proportion.
TOWNS: dict[str, list[tuple[str, str, int]]] = {
    "01": [
        ("Westminster", "W1 SW1 W2 W9 NW8", 0),
        ("Camden", "NW1 NW3 NW5 WC1", 0),
        ("Islington", "N1 N7 N19 EC1", 1),
        ("Hackney", "E5 E8 E9 N16", 2),
        ("Tower Hamlets", "E1 E2 E3 E14", 2),
        ("Newham", "E6 E7 E13 E15 E16", 2),
        ("Southwark", "SE1 SE5 SE15 SE16", 1),
        ("Lambeth", "SW2 SW4 SW9 SE11 SE27", 1),
        ("Lewisham", "SE4 SE6 SE13 SE14", 1),
        ("Greenwich", "SE7 SE10 SE18 SE28", 1),
        ("Croydon", "CR0 CR2 CR7 SE25", 1),
        ("Brent", "NW2 NW10 HA9", 1),
        ("Ealing", "W3 W5 W13 UB1", 0),
        ("Haringey", "N8 N15 N17 N22", 1),
        ("Enfield", "EN1 EN3 N9 N18", 1),
        ("Barnet", "N3 N12 NW4 EN5", -1),
        ("Waltham Forest", "E4 E10 E11 E17", 1),
        ("Redbridge", "IG1 IG2 IG3 IG6", 0),
        ("Barking and Dagenham", "IG11 RM8 RM9 RM10", 2),
        ("Havering", "RM1 RM3 RM7 RM12", 0),
        ("Bexley", "DA5 DA6 DA7 DA15", -1),
        ("Bromley", "BR1 BR2 BR5 BR6", -1),
        ("Sutton", "SM1 SM2 SM3", -1),
        ("Merton", "SW19 SM4 CR4", 0),
        ("Kingston upon Thames", "KT1 KT2 KT6", -2),
        ("Richmond upon Thames", "TW1 TW9 TW10", -2),
        ("Hounslow", "TW3 TW4 TW5 TW7", 0),
        ("Hillingdon", "UB3 UB4 UB8 UB10", 0),
        ("Harrow", "HA1 HA2 HA3", -1),
        ("Wandsworth", "SW11 SW12 SW15 SW17 SW18", -1),
        ("Hammersmith and Fulham", "W6 W12 W14 SW6", 0),
        ("Kensington and Chelsea", "W8 W10 W11 SW3", 0),
    ],
    "03": [
        ("Carlisle", "CA1 CA2 CA3", 0),
        ("Barrow-in-Furness", "LA13 LA14", 1),
        ("Workington", "CA14", 1),
        ("Whitehaven", "CA28", 1),
        ("Kendal", "LA9", -1),
        ("Penrith", "CA11", -1),
    ],
    "04": [
        ("Preston", "PR1 PR2 PR5", 1),
        ("Blackburn", "BB1 BB2", 2),
        ("Blackpool", "FY1 FY2 FY3 FY4", 2),
        ("Burnley", "BB10 BB11 BB12", 2),
        ("Lancaster", "LA1", 0),
        ("Morecambe", "LA3 LA4", 1),
        ("Accrington", "BB5", 1),
        ("Chorley", "PR6 PR7", -1),
        ("Skelmersdale", "WN8", 1),
        ("Nelson", "BB9", 2),
    ],
    "05": [
        ("Liverpool", "L1 L4 L5 L6 L8 L11 L13 L15 L24", 2),
        ("Knowsley", "L32 L33 L36", 2),
        ("Sefton", "L20 L21 PR8 PR9", 0),
        ("Wirral", "CH41 CH42 CH44 CH45 CH46", 1),
        ("St Helens", "WA9 WA10 WA11", 1),
    ],
    "06": [
        ("Manchester", "M1 M4 M8 M9 M11 M12 M13 M14 M15 M16 M19 M20 M22 M23 M40", 2),
        ("Salford", "M5 M6 M7 M30", 2),
        ("Bolton", "BL1 BL2 BL3 BL4", 1),
        ("Bury", "BL8 BL9", 0),
        ("Rochdale", "OL11 OL12 OL16", 2),
        ("Oldham", "OL1 OL4 OL8 OL9", 2),
        ("Tameside", "OL6 OL7 SK14 SK16", 1),
        ("Stockport", "SK1 SK2 SK3 SK4 SK5", -1),
        ("Trafford", "M32 M33 WA14 WA15", -2),
        ("Wigan", "WN1 WN2 WN3 WN5 WN6 WN7", 1),
    ],
    "07": [
        ("Chester", "CH1 CH2 CH3 CH4", -1),
        ("Crewe", "CW1 CW2", 1),
        ("Warrington", "WA1 WA2 WA4 WA5", 0),
        ("Widnes", "WA8", 1),
        ("Runcorn", "WA7", 1),
        ("Macclesfield", "SK10 SK11", -2),
        ("Ellesmere Port", "CH65 CH66", 1),
        ("Northwich", "CW8 CW9", 0),
    ],
    "10": [
        ("Newcastle upon Tyne", "NE1 NE2 NE4 NE5 NE6 NE15", 1),
        ("Gateshead", "NE8 NE9 NE10", 1),
        ("Sunderland", "SR1 SR2 SR3 SR4 SR5", 2),
        ("South Shields", "NE33 NE34", 2),
        ("Jarrow", "NE32", 2),
        ("North Shields", "NE29 NE30", 0),
        ("Wallsend", "NE28", 1),
        ("Blyth", "NE24", 1),
        ("Ashington", "NE63", 1),
        ("Cramlington", "NE23", 0),
        ("Morpeth", "NE61", -1),
        ("Hexham", "NE46", -2),
        ("Berwick-upon-Tweed", "TD15", 0),
    ],
    "11": [
        ("Durham", "DH1", 0),
        ("Darlington", "DL1 DL3", 1),
        ("Chester-le-Street", "DH2 DH3", 0),
        ("Peterlee", "SR8", 2),
        ("Bishop Auckland", "DL14", 2),
        ("Newton Aycliffe", "DL5", 1),
        ("Consett", "DH8", 1),
        ("Stanley", "DH9", 2),
        ("Seaham", "SR7", 1),
        ("Spennymoor", "DL16", 1),
    ],
    "12": [
        ("York", "YO1 YO10 YO24 YO26 YO30 YO31", -1),
        ("Harrogate", "HG1 HG2", -2),
        ("Scarborough", "YO11 YO12", 1),
        ("Selby", "YO8", 0),
        ("Northallerton", "DL6 DL7", -1),
        ("Skipton", "BD23", -1),
        ("Whitby", "YO21", 0),
        ("Richmond", "DL10", -1),
    ],
    "13": [
        ("Leeds", "LS1 LS6 LS7 LS8 LS9 LS10 LS11 LS12 LS14", 1),
        ("Bradford", "BD1 BD3 BD4 BD5 BD7 BD8 BD9", 2),
        ("Keighley", "BD21", 1),
        ("Huddersfield", "HD1 HD2 HD3 HD4 HD5", 1),
        ("Dewsbury", "WF12 WF13", 2),
        ("Halifax", "HX1 HX2 HX3", 1),
        ("Wakefield", "WF1 WF2", 1),
        ("Castleford", "WF10", 1),
        ("Pontefract", "WF8", 0),
        ("Batley", "WF17", 1),
    ],
    "14": [
        ("Sheffield", "S1 S2 S3 S4 S5 S9 S13 S35", 1),
        ("Rotherham", "S60 S61 S65 S66", 1),
        ("Doncaster", "DN1 DN2 DN4 DN5", 2),
        ("Barnsley", "S70 S71 S72 S75", 1),
    ],
    "16": [
        ("Kingston upon Hull", "HU1 HU3 HU4 HU5 HU7 HU8 HU9", 2),
        ("Grimsby", "DN31 DN32 DN34", 2),
        ("Scunthorpe", "DN15 DN16 DN17", 1),
        ("Beverley", "HU17", -2),
        ("Bridlington", "YO15 YO16", 1),
        ("Goole", "DN14", 0),
        ("Cleethorpes", "DN35", 0),
    ],
    "17": [
        ("Middlesbrough", "TS1 TS3 TS4 TS5", 2),
        ("Hartlepool", "TS24 TS25 TS26", 2),
        ("Stockton-on-Tees", "TS18 TS19 TS20", 1),
        ("Redcar", "TS10", 2),
        ("Guisborough", "TS14", 0),
        ("Thornaby", "TS17", 1),
    ],
    "20": [
        ("Birmingham", "B1 B5 B6 B8 B9 B10 B11 B12 B18 B19 B20 B21 B23 B33 B36 B44", 2),
        ("Solihull", "B90 B91 B92", -1),
        ("Sutton Coldfield", "B72 B73", -2),
        ("Coventry", "CV1 CV2 CV3 CV5 CV6", 1),
        ("Wolverhampton", "WV1 WV2 WV4 WV10", 2),
        ("Walsall", "WS1 WS2 WS3 WS5", 2),
        ("Dudley", "DY1 DY2 DY5", 1),
        ("West Bromwich", "B70 B71", 2),
        ("Smethwick", "B66", 2),
        ("Oldbury", "B69", 1),
    ],
    "21": [
        ("Stoke-on-Trent", "ST1 ST2 ST3 ST4 ST6", 2),
        ("Newcastle-under-Lyme", "ST5", 0),
        ("Stafford", "ST16 ST17", -1),
        ("Tamworth", "B77 B78", 0),
        ("Burton upon Trent", "DE13 DE14 DE15", 0),
        ("Cannock", "WS11 WS12", 1),
        ("Lichfield", "WS13 WS14", -1),
        ("Leek", "ST13", -1),
    ],
    "22": [
        ("Worcester", "WR1 WR2 WR3 WR4 WR5", 0),
        ("Hereford", "HR1 HR2 HR4", 0),
        ("Telford", "TF1 TF2 TF3 TF4 TF7", 1),
        ("Shrewsbury", "SY1 SY2 SY3", -1),
        ("Kidderminster", "DY10 DY11", 0),
        ("Redditch", "B97 B98", 1),
        ("Bromsgrove", "B60 B61", -2),
        ("Oswestry", "SY11", 0),
        ("Ludlow", "SY8", -1),
    ],
    "23": [
        ("Nuneaton", "CV10 CV11", 1),
        ("Rugby", "CV21 CV22", 0),
        ("Leamington Spa", "CV31 CV32", -1),
        ("Warwick", "CV34", -2),
        ("Stratford-upon-Avon", "CV37", -2),
        ("Bedworth", "CV12", 1),
        ("Atherstone", "CV9", 0),
    ],
    "30": [
        ("Derby", "DE1 DE21 DE22 DE23 DE24", 1),
        ("Chesterfield", "S40 S41", 1),
        ("Ilkeston", "DE7", 1),
        ("Long Eaton", "NG10", 0),
        ("Buxton", "SK17", -1),
        ("Glossop", "SK13", 0),
        ("Swadlincote", "DE11", 0),
        ("Matlock", "DE4", -2),
        ("Alfreton", "DE55", 1),
        ("Ripley", "DE5", 0),
    ],
    "31": [
        ("Nottingham", "NG1 NG2 NG3 NG5 NG6 NG7 NG8 NG11", 2),
        ("Mansfield", "NG18 NG19", 2),
        ("Worksop", "S80 S81", 1),
        ("Newark-on-Trent", "NG24", 0),
        ("Sutton-in-Ashfield", "NG17", 1),
        ("Beeston", "NG9", -1),
        ("Carlton", "NG4", 0),
        ("Hucknall", "NG15", 0),
    ],
    "32": [
        ("Lincoln", "LN1 LN2 LN5 LN6", 1),
        ("Boston", "PE21", 1),
        ("Grantham", "NG31", 0),
        ("Skegness", "PE25", 2),
        ("Spalding", "PE11", 0),
        ("Gainsborough", "DN21", 1),
        ("Sleaford", "NG34", -1),
        ("Louth", "LN11", 0),
        ("Stamford", "PE9", -2),
    ],
    "33": [
        ("Leicester", "LE1 LE2 LE3 LE4 LE5", 2),
        ("Loughborough", "LE11", 0),
        ("Hinckley", "LE10", 0),
        ("Coalville", "LE67", 0),
        ("Melton Mowbray", "LE13", -1),
        ("Oakham", "LE15", -2),
        ("Wigston", "LE18", -1),
        ("Market Harborough", "LE16", -2),
    ],
    "34": [
        ("Northampton", "NN1 NN2 NN3 NN4 NN5", 1),
        ("Corby", "NN17 NN18", 1),
        ("Kettering", "NN15 NN16", 0),
        ("Wellingborough", "NN8", 1),
        ("Daventry", "NN11", -1),
        ("Rushden", "NN10", 0),
    ],
    "35": [
        ("Cambridge", "CB1 CB2 CB4 CB5", -1),
        ("Peterborough", "PE1 PE2 PE3 PE4 PE7", 1),
        ("Huntingdon", "PE29", 0),
        ("St Neots", "PE19", -1),
        ("Wisbech", "PE13", 2),
        ("March", "PE15", 1),
        ("Ely", "CB6", -1),
        ("St Ives", "PE27", -1),
    ],
    "36": [
        ("Norwich", "NR1 NR2 NR3 NR5 NR6 NR7", 1),
        ("Great Yarmouth", "NR30 NR31", 2),
        ("King's Lynn", "PE30", 1),
        ("Thetford", "IP24", 1),
        ("Dereham", "NR19", 0),
        ("Cromer", "NR27", 0),
        ("Wymondham", "NR18", -1),
    ],
    "37": [
        ("Ipswich", "IP1 IP2 IP3 IP4", 1),
        ("Lowestoft", "NR32 NR33", 2),
        ("Bury St Edmunds", "IP32 IP33", -1),
        ("Felixstowe", "IP11", 0),
        ("Haverhill", "CB9", 0),
        ("Newmarket", "CB8", 0),
        ("Sudbury", "CO10", 0),
        ("Stowmarket", "IP14", 0),
    ],
    "40": [
        ("Luton", "LU1 LU2 LU3 LU4", 1),
        ("Bedford", "MK40 MK41 MK42", 0),
        ("Dunstable", "LU5 LU6", 0),
        ("Leighton Buzzard", "LU7", -1),
        ("Biggleswade", "SG18", -1),
    ],
    "41": [
        ("Watford", "WD17 WD18 WD24 WD25", 0),
        ("Stevenage", "SG1 SG2", 1),
        ("St Albans", "AL1 AL3 AL4", -2),
        ("Hemel Hempstead", "HP1 HP2 HP3", 0),
        ("Hatfield", "AL10", 0),
        ("Welwyn Garden City", "AL7 AL8", 0),
        ("Hertford", "SG13 SG14", -2),
        ("Cheshunt", "EN7 EN8", 0),
        ("Borehamwood", "WD6", 0),
        ("Hitchin", "SG4 SG5", -1),
        ("Bishop's Stortford", "CM23", -2),
    ],
    "42": [
        ("Chelmsford", "CM1 CM2", -1),
        ("Colchester", "CO1 CO2 CO3 CO4", 0),
        ("Southend-on-Sea", "SS1 SS2 SS9", 1),
        ("Basildon", "SS13 SS14 SS15 SS16", 1),
        ("Harlow", "CM17 CM18 CM19 CM20", 1),
        ("Grays", "RM17 RM20", 1),
        ("Tilbury", "RM18", 2),
        ("Clacton-on-Sea", "CO15 CO16", 2),
        ("Brentwood", "CM14 CM15", -2),
        ("Braintree", "CM7", 0),
        ("Canvey Island", "SS8", 1),
        ("Wickford", "SS11 SS12", 0),
        ("Loughton", "IG10", -1),
    ],
    "43": [
        ("Oxford", "OX1 OX2 OX3 OX4", 0),
        ("Reading", "RG1 RG2 RG4 RG30", 0),
        ("Slough", "SL1 SL2 SL3", 1),
        ("Milton Keynes", "MK1 MK2 MK3 MK6 MK8 MK13", 0),
        ("High Wycombe", "HP11 HP12 HP13", 0),
        ("Aylesbury", "HP19 HP20 HP21", 0),
        ("Banbury", "OX16", 0),
        ("Bracknell", "RG12 RG42", -1),
        ("Maidenhead", "SL6", -2),
        ("Newbury", "RG14", -1),
        ("Wokingham", "RG40 RG41", -2),
        ("Bicester", "OX26", -1),
        ("Windsor", "SL4", -2),
        ("Didcot", "OX11", -1),
        ("Abingdon", "OX14", -2),
        ("Witney", "OX28", -2),
    ],
    "44": [
        ("Southampton", "SO14 SO15 SO16 SO17 SO18 SO19", 1),
        ("Portsmouth", "PO1 PO2 PO3 PO4 PO5 PO6", 1),
        ("Basingstoke", "RG21 RG22 RG24", -1),
        ("Winchester", "SO22 SO23", -2),
        ("Aldershot", "GU11 GU12", 0),
        ("Farnborough", "GU14", -1),
        ("Gosport", "PO12 PO13", 1),
        ("Fareham", "PO14 PO15 PO16", -1),
        ("Havant", "PO9", 1),
        ("Eastleigh", "SO50", -1),
        ("Andover", "SP10 SP11", 0),
        ("Isle of Wight", "PO30 PO33 PO36", 1),
        ("Waterlooville", "PO7 PO8", 0),
    ],
    "45": [
        ("Guildford", "GU1 GU2", -2),
        ("Woking", "GU21 GU22", -1),
        ("Epsom", "KT17 KT18 KT19", -2),
        ("Redhill", "RH1", -1),
        ("Spelthorne", "TW15 TW16 TW18 TW19", 0),
        ("Camberley", "GU15 GU16", -1),
        ("Leatherhead", "KT22", -2),
        ("Walton-on-Thames", "KT12", -2),
        ("Weybridge", "KT13", -2),
        ("Farnham", "GU9 GU10", -2),
        ("Reigate", "RH2", -2),
        ("Caterham", "CR3", -1),
        ("Dorking", "RH4", -2),
        ("Godalming", "GU7", -2),
        ("Esher", "KT10", -2),
    ],
    "46": [
        ("Maidstone", "ME14 ME15 ME16", 0),
        ("Chatham", "ME4 ME5", 1),
        ("Gillingham", "ME7 ME8", 1),
        ("Rochester", "ME1 ME2", 0),
        ("Canterbury", "CT1 CT2", 0),
        ("Margate", "CT9", 2),
        ("Ramsgate", "CT11 CT12", 2),
        ("Folkestone", "CT19 CT20", 1),
        ("Dover", "CT16 CT17", 1),
        ("Ashford", "TN23 TN24 TN25", 0),
        ("Dartford", "DA1 DA2", 0),
        ("Gravesend", "DA11 DA12", 1),
        ("Sittingbourne", "ME10", 1),
        ("Tunbridge Wells", "TN1 TN2", -2),
        ("Tonbridge", "TN9 TN10", -1),
        ("Sevenoaks", "TN13", -2),
        ("Herne Bay", "CT6", 0),
        ("Sheerness", "ME12", 2),
        ("Whitstable", "CT5", -1),
        ("Swanley", "BR8", 0),
    ],
    "47": [
        ("Brighton", "BN1 BN2", 0),
        ("Hove", "BN3", -1),
        ("Crawley", "RH10 RH11", 0),
        ("Hastings", "TN34 TN35", 2),
        ("Eastbourne", "BN20 BN21 BN22 BN23", 1),
        ("Worthing", "BN11 BN12 BN13 BN14", 0),
        ("Chichester", "PO19", -1),
        ("Bognor Regis", "PO21 PO22", 1),
        ("Horsham", "RH12 RH13", -2),
        ("Littlehampton", "BN17", 1),
        ("Lewes", "BN7", -1),
        ("Burgess Hill", "RH15", -1),
        ("Haywards Heath", "RH16", -2),
        ("Bexhill-on-Sea", "TN39 TN40", 0),
        ("Newhaven", "BN9", 1),
        ("Seaford", "BN25", -1),
        ("East Grinstead", "RH19", -1),
        ("Shoreham-by-Sea", "BN43", -1),
    ],
    "48": [
        ("City of London", "EC2 EC3 EC4", -1),
    ],
    "50": [
        ("Plymouth", "PL1 PL2 PL3 PL4 PL5 PL6 PL7", 1),
        ("Exeter", "EX1 EX2 EX4", 0),
        ("Torquay", "TQ1 TQ2", 1),
        ("Paignton", "TQ3 TQ4", 1),
        ("Barnstaple", "EX31 EX32", 0),
        ("Newton Abbot", "TQ12", 0),
        ("Truro", "TR1", 0),
        ("Camborne", "TR14", 2),
        ("Redruth", "TR15", 2),
        ("Penzance", "TR18", 1),
        ("St Austell", "PL25", 1),
        ("Falmouth", "TR11", 0),
        ("Newquay", "TR7", 1),
        ("Bodmin", "PL31", 0),
        ("Exmouth", "EX8", -1),
        ("Tiverton", "EX16", 0),
        ("Bideford", "EX39", 0),
        ("Isles of Scilly", "TR21", -1),
    ],
    "52": [
        ("Bristol", "BS1 BS2 BS3 BS4 BS5 BS7 BS10 BS11 BS13 BS14", 1),
        ("Bath", "BA1 BA2", -1),
        ("Weston-super-Mare", "BS22 BS23 BS24", 1),
        ("Taunton", "TA1 TA2", 0),
        ("Yeovil", "BA20 BA21", 0),
        ("Bridgwater", "TA6", 1),
        ("Frome", "BA11", 0),
        ("Kingswood", "BS15", 0),
        ("Yate", "BS37", -1),
        ("Clevedon", "BS21", -1),
        ("Keynsham", "BS31", -2),
        ("Minehead", "TA24", 1),
        ("Burnham-on-Sea", "TA8", 0),
        ("Wells", "BA5", -1),
        ("Street", "BA16", -1),
    ],
    "53": [
        ("Gloucester", "GL1 GL2 GL3 GL4", 1),
        ("Cheltenham", "GL50 GL51 GL52 GL53", -1),
        ("Stroud", "GL5", -1),
        ("Tewkesbury", "GL20", 0),
        ("Cirencester", "GL7", -2),
        ("Cinderford", "GL14", 1),
        ("Lydney", "GL15", 0),
        ("Dursley", "GL11", 0),
    ],
    "54": [
        ("Swindon", "SN1 SN2 SN3 SN5 SN25", 0),
        ("Salisbury", "SP1 SP2", -1),
        ("Chippenham", "SN14 SN15", -1),
        ("Trowbridge", "BA14", 0),
        ("Devizes", "SN10", -1),
        ("Melksham", "SN12", 0),
        ("Warminster", "BA12", 0),
        ("Calne", "SN11", 0),
        ("Marlborough", "SN8", -2),
        ("Corsham", "SN13", -1),
    ],
    "55": [
        ("Bournemouth", "BH1 BH6 BH7 BH8 BH9 BH10 BH11", 1),
        ("Poole", "BH12 BH14 BH15 BH17", 0),
        ("Weymouth", "DT3 DT4", 1),
        ("Dorchester", "DT1", -1),
        ("Christchurch", "BH23", -1),
        ("Bridport", "DT6", -1),
        ("Ferndown", "BH22", -2),
        ("Wimborne Minster", "BH21", -2),
        ("Swanage", "BH19", -1),
        ("Shaftesbury", "SP7 SP8", -1),
        ("Blandford Forum", "DT11", -1),
        ("Sherborne", "DT9", -2),
    ],
    "60": [
        ("Wrexham", "LL11 LL12 LL13 LL14", 1),
        ("Rhyl", "LL18", 2),
        ("Bangor", "LL57", 0),
        ("Caernarfon", "LL55", 1),
        ("Llandudno", "LL30", 0),
        ("Colwyn Bay", "LL29", 1),
        ("Holyhead", "LL65", 1),
        ("Mold", "CH7", -1),
        ("Flint", "CH6", 1),
        ("Connah's Quay", "CH5", 0),
        ("Prestatyn", "LL19", 0),
        ("Denbigh", "LL16", 0),
        ("Pwllheli", "LL53", 0),
        ("Abergele", "LL22", 0),
    ],
    "61": [
        ("Newport", "NP10 NP18 NP19 NP20", 1),
        ("Cwmbran", "NP44", 1),
        ("Pontypool", "NP4", 1),
        ("Ebbw Vale", "NP23", 2),
        ("Abergavenny", "NP7", -1),
        ("Monmouth", "NP25", -2),
        ("Blackwood", "NP12", 1),
        ("Caerphilly", "CF83", 1),
        ("Tredegar", "NP22", 2),
        ("Chepstow", "NP16", -1),
    ],
    "62": [
        ("Cardiff", "CF3 CF5 CF10 CF11 CF14 CF23 CF24", 0),
        ("Swansea", "SA1 SA2 SA4 SA5 SA6", 1),
        ("Merthyr Tydfil", "CF47 CF48", 2),
        ("Neath", "SA10 SA11", 1),
        ("Port Talbot", "SA12 SA13", 1),
        ("Bridgend", "CF31 CF32", 0),
        ("Barry", "CF62 CF63", 0),
        ("Pontypridd", "CF37", 1),
        ("Aberdare", "CF44", 2),
        ("Tonypandy", "CF40", 2),
        ("Penarth", "CF64", -2),
        ("Maesteg", "CF34", 2),
        ("Porth", "CF39", 2),
    ],
    "63": [
        ("Llanelli", "SA14 SA15", 1),
        ("Carmarthen", "SA31", 0),
        ("Haverfordwest", "SA61 SA62", 0),
        ("Aberystwyth", "SY23", 0),
        ("Newtown", "SY16", 0),
        ("Brecon", "LD3", -1),
        ("Llandrindod Wells", "LD1", 0),
        ("Pembroke Dock", "SA72", 1),
        ("Milford Haven", "SA73", 1),
        ("Ammanford", "SA18", 1),
        ("Welshpool", "SY21", 0),
        ("Cardigan", "SA43", 0),
        ("Tenby", "SA70", -1),
        ("Burry Port", "SA16", 1),
    ],
}

COLUMNS = (
    "area_code",
    "area_name",
    "postcode_district",
    "police_force_code",
    "region_code",
    "deprivation_decile",
    "population_weight",
)


@dataclass
class Force:
    code: str
    region_code: str
    country: str
    population_thousands: int


@dataclass
class Area:
    force: Force
    town: str
    district: str
    tilt: int
    name: str = ""
    code: str = ""
    population_weight: int = 0
    deprivation_score: float = 0.0
    deprivation_decile: int = 0


def read_forces(path: Path) -> list[Force]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Force(
                code=row["police_force_code"],
                region_code=row["region_code"],
                country=row["country"],
                population_thousands=int(row["population_thousands"]),
            )
            for row in csv.DictReader(handle)
        ]


def largest_remainder(weights: list[float], total: int, minimum: int) -> list[int]:
    """Split `total` into integers proportional to `weights`, each at least `minimum`."""
    counts = [minimum] * len(weights)
    remaining = total - minimum * len(weights)
    if remaining < 0:
        raise ValueError(f"cannot give {len(weights)} parts at least {minimum} from {total}")
    # Allocate the rest in proportion to the shortfall of each part against its exact share.
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    extra = [max(e - c, 0.0) for e, c in zip(exact, counts, strict=True)]
    extra_sum = sum(extra) or 1.0
    shares = [remaining * x / extra_sum for x in extra]
    floors = [int(s) for s in shares]
    counts = [c + f for c, f in zip(counts, floors, strict=True)]
    leftover = remaining - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:leftover]:
        counts[i] += 1
    return counts


def build_areas(forces: list[Force], rng: random.Random) -> list[Area]:
    missing = {f.code for f in forces} ^ set(TOWNS)
    if missing:
        raise ValueError(f"forces and towns disagree on: {sorted(missing)}")
    per_force = largest_remainder([f.population_thousands for f in forces], TOTAL_AREAS, MIN_AREAS_PER_FORCE)
    areas: list[Area] = []
    for force, n_force in zip(forces, per_force, strict=True):
        towns = TOWNS[force.code]
        town_weights = [len(districts.split()) for _, districts, _ in towns]
        per_town = largest_remainder(town_weights, n_force, 1 if n_force >= len(towns) else 0)
        mean_weight = force.population_thousands * 1000 / n_force
        for (town, districts, tilt), n_town in zip(towns, per_town, strict=True):
            district_list = districts.split()
            for i in range(n_town):
                area = Area(force=force, town=town, district=district_list[i % len(district_list)], tilt=tilt)
                area.name = f"{town} {i // 4 + 1:03d}{'ABCD'[i % 4]}"
                area.population_weight = round(mean_weight * rng.uniform(0.7, 1.3))
                area.deprivation_score = tilt + rng.gauss(0.0, 1.1)
                areas.append(area)
    return areas


def assign_deciles(areas: list[Area]) -> None:
    """Decile 1 = most deprived tenth of residents nationally, 10 = least deprived."""
    ranked = sorted(areas, key=lambda a: (-a.deprivation_score, a.name))
    total = sum(a.population_weight for a in ranked)
    cumulative = 0
    for area in ranked:
        midpoint = cumulative + area.population_weight / 2
        area.deprivation_decile = min(10, int(10 * midpoint / total) + 1)
        cumulative += area.population_weight


def assign_codes(areas: list[Area]) -> None:
    serials = {"England": 0, "Wales": 0}
    for area in areas:
        serials[area.force.country] += 1
        prefix = "E01S" if area.force.country == "England" else "W01S"
        area.code = f"{prefix}{serials[area.force.country]:05d}"


def write_areas(areas: list[Area], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for a in areas:
            writer.writerow(
                (
                    a.code,
                    a.name,
                    a.district,
                    a.force.code,
                    a.force.region_code,
                    a.deprivation_decile,
                    a.population_weight,
                )
            )


def sector_owners(areas: list[Area]) -> list[tuple[str, str, str]]:
    """Postcode sectors (`M14 5`) and the area each belongs to: the stand-in for the postcode-to-LSOA lookup
    of the ONS Postcode Directory. The k-th of n areas sharing a district (in area-code order) owns the
    sector digits d with d % n == k, so every sector of a district belongs to exactly one area. The
    generator draws postcodes with this rule (repeat_offending.synthetic.reference)."""
    by_district: dict[str, list[str]] = {}
    for a in sorted(areas, key=lambda area: area.code):
        by_district.setdefault(a.district, []).append(a.code)
    rows = []
    for district in sorted(by_district):
        codes = by_district[district]
        for digit in range(10):
            rows.append((f"{district} {digit}", district, codes[digit % len(codes)]))
    return rows


def write_sectors(areas: list[Area], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("postcode_sector", "postcode_district", "area_code"))
        writer.writerows(sector_owners(areas))


def main() -> None:
    rng = random.Random(SEED)
    forces = read_forces(FORCES_CSV)
    areas = build_areas(forces, rng)
    assign_deciles(areas)
    assign_codes(areas)
    write_areas(areas, AREAS_CSV)
    write_sectors(areas, SECTORS_CSV)
    print(f"wrote {len(areas)} areas to {AREAS_CSV.relative_to(REPO_ROOT)} and their postcode sectors")


if __name__ == "__main__":
    main()
