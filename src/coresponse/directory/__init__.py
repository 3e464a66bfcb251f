"""The service directory: organisations, services, locations and schedules in the shape of
Open Referral HSDS 1.1, imported and exported as HSDS tabular packages."""
