{#
    A company domain from anything that names one: a website in any URL form, a bare domain, a
    host with a port, or an email address. Two regular expressions over the lower-cased, trimmed
    value, both skipping an optional scheme ('https://'), credentials or email local part
    ('jane@') and 'www.' ('www2.' ...), and both stopping at the first '/', '?', '#' or ':' (path,
    query, fragment, port) and before trailing dots:
      - the host itself ('mail.acme.com');
      - the domain behind a known mail host ('mail.', 'email.', 'e-mail.', 'mx.', 'smtp.',
        'webmail.'), when at least two labels remain ('acme.com').
    The mail host is folded onto that domain unless its first label says it is a bare public
    suffix ('mail.co.uk' stays, as 'mail.com' does); the result is null unless it has a dot
    between two non-empty labels, so 'n/a', 'none' or 'localhost' never become a domain that
    joins unrelated records.
    'https://www.acme.com/', 'acme.com', 'http://acme.com/about?x=1', 'ACME.COM:443' and
    'jane@mail.acme.com' all give 'acme.com'. Other subdomains are kept ('shop.acme.de'): only a
    public-suffix list could tell 'shop.acme.de' from 'acme.co.uk'.
    seeds/reference/build_personal_email_domains.py mirrors the folding in Python.
#}
{% macro normalize_domain(column) -%}
    {%- set prefix = '^(?:[a-z][a-z0-9+.-]*://)?(?:[^/?#@]*@)?(?:www[0-9]*\\.)?' -%}
    {%- set mail_host = '(?:mail|email|e-mail|mx|smtp|webmail)\\.' -%}
    {%- set value = 'lower(trim(' ~ column ~ '))' -%}
    {%- set host = regexp_extract_group(value, prefix ~ '([^/?#:]*[^/?#:.])') -%}
    {%- set folded = regexp_extract_group(value, prefix ~ mail_host ~ '([^/?#:]*\\.[^/?#:]*[^/?#:.])') -%}
    coalesce(
        case
            when {{ dbt.split_part(folded, "'.'", 1) | trim }} not in ('', 'co', 'com', 'org', 'net', 'ac', 'gov', 'edu')
                then {{ folded }}
        end,
        case when {{ host }} like '%_._%' then {{ host }} end
    )
{%- endmacro %}
