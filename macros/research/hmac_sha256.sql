{#-
    HMAC-SHA256 (RFC 2104) in SQL. Documented in _research__macros.yml; checked against RFC 4231 test vectors
    by tests/macros/test_hmac_sha256_hex.sql.
-#}

{% macro hmac_sha256_hex(key, message) -%}
    {{ return(adapter.dispatch('hmac_sha256_hex', 'repeat_offending')(key, message)) }}
{%- endmacro %}

{% macro default__hmac_sha256_hex(key, message) -%}
    {{ exceptions.raise_compiler_error(
        "hmac_sha256_hex has no implementation for the " ~ adapter.type() ~ " adapter: add "
        ~ adapter.type() ~ "__hmac_sha256_hex (most warehouses have a native HMAC or SHA-256 over bytes)"
    ) }}
{%- endmacro %}

{#- DuckDB: sha256 accepts BLOBs; the padded keys are computed once (uncorrelated scalar subqueries). -#}
{% macro duckdb__hmac_sha256_hex(key, message) -%}
    sha256(
        unhex({{ hmac_sha256_key_pad(key, 92) }})
        || unhex(sha256(unhex({{ hmac_sha256_key_pad(key, 54) }}) || encode({{ message }})))
    )
{%- endmacro %}

{#- The 64-byte block of the key (hashed first when longer than 64 bytes, padded with zero bytes) XOR the
    byte `pad` (0x36 inner, 0x5c outer), as 128 hexadecimal digits. -#}
{% macro hmac_sha256_key_pad(key, pad) -%}
    (
        select
            string_agg(
                printf(
                    '%02x',
                    xor(
                        cast('0x' || substr(rpad(hex(
                            case when octet_length({{ key }}) > 64 then unhex(sha256({{ key }})) else {{ key }} end
                        ), 128, '0'), 2 * key_byte.position + 1, 2) as integer),
                        {{ pad }}
                    )
                ),
                '' order by key_byte.position
            )
        from range(64) as key_byte (position)
    )
{%- endmacro %}
