"""References for the other services: companies and organisations resolved by id, as `plaza_contracts`
shapes (`CompanyRef`, `OrganisationRef`), with merged ids answered by their survivor."""
