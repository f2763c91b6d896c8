-- hmac_sha256_hex against the RFC 4231 test vectors (cases 1, 2, 6 and 7: short keys, a key of
-- 131 bytes that is hashed first) and two keys checked with Python's hmac (exactly 64 bytes; an
-- empty key). Returns the cases whose result differs; passes when empty.
with

cases (case_name, key_hex, message, expected) as (
    values
    (
        'rfc4231 case 1',
        '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
        'Hi There',
        'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'
    ),
    (
        'rfc4231 case 2',
        '4a656665',
        'what do ya want for nothing?',
        '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
    ),
    (
        'rfc4231 case 6',
        repeat('aa', 131),
        'Test Using Larger Than Block-Size Key - Hash Key First',
        '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'
    ),
    (
        'rfc4231 case 7',
        repeat('aa', 131),
        'This is a test using a larger than block-size key and a larger than block-size data. '
        || 'The key needs to be hashed before being used by the HMAC algorithm.',
        '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2'
    ),
    (
        'key of exactly 64 bytes',
        repeat('6b', 64),
        'x',
        'f91c4c403625fb06910ef93999265bbd2d62baeaec6ff36455498cc124fe3e66'
    ),
    (
        'empty key',
        '',
        'abc',
        'fd7adb152c05ef80dccf50a1fa4c05d5a3ec6da95575fc312ae7c5d091836351'
    )
),

results as (

    select
        case_name,
        expected,
        {{ repeat_offending.hmac_sha256_hex('unhex(key_hex)', 'message') }} as actual
    from cases

)

select *
from results
where actual != expected
