-- Every personal email domain must still be on the list after normalize_domain, otherwise an
-- address at it (jane@mail.austria.com) normalises to a domain (austria.com) that is not
-- recognised as personal and could found an account. Fix: re-run
-- seeds/reference/build_personal_email_domains.py, which mirrors the macro's folding. Entries that
-- normalise to null (bare 'com', 'www.com') cannot match any email domain and are harmless.
with

personal_domains as (

    select domain from {{ ref('personal_email_domains') }}

),

normalised as (

    select
        domain,
        {{ normalize_domain('domain') }} as normalised_domain
    from personal_domains

)

select
    normalised.domain,
    normalised.normalised_domain
from normalised
left join personal_domains
    on normalised.normalised_domain = personal_domains.domain
where
    normalised.normalised_domain is not null
    and personal_domains.domain is null
