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
        || unhex(sha256(unhex({{ hmac_sha256_key_pad(key, 54) }}) || {{ utf8_bytes(message) }}))
    )
{%- endmacro %}

{#- Spark: sha2 hashes BINARY to lower-case hexadecimal, like DuckDB's sha256; the padded key blocks are
    built per byte with transform over sequence(0, 63), bitwise XOR (`^`) and hex. -#}
{% macro spark__hmac_sha256_hex(key, message) -%}
    sha2(
        concat(
            unhex({{ spark__hmac_sha256_key_pad(key, 92) }}),
            unhex(sha2(concat(unhex({{ spark__hmac_sha256_key_pad(key, 54) }}), {{ utf8_bytes(message) }}), 256))
        ),
        256
    )
{%- endmacro %}

{#- Spark version of hmac_sha256_key_pad: an expression (no subquery), 128 hexadecimal digits. -#}
{% macro spark__hmac_sha256_key_pad(key, pad) -%}
    array_join(
        transform(
            sequence(0, 63),
            key_byte -> lpad(hex(
                cast(conv(substr(rpad(hex(
                    case when octet_length({{ key }}) > 64 then unhex(sha2({{ key }}, 256)) else {{ key }} end
                ), 128, '0'), 2 * key_byte + 1, 2), 16, 10) as int) ^ {{ pad }}
            ), 2, '0')
        ),
        ''
    )
{%- endmacro %}


{#- The bytes of a text in UTF-8 (DuckDB's BLOB, Spark's BINARY). -#}
{% macro utf8_bytes(text) -%}
    {{ return(adapter.dispatch('utf8_bytes', 'repeat_offending')(text)) }}
{%- endmacro %}

{% macro default__utf8_bytes(text) -%}
    encode({{ text }})
{%- endmacro %}

{% macro spark__utf8_bytes(text) -%}
    encode({{ text }}, 'UTF-8')
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
