-- Listing facts read by the normalizers (pipeline/canonical.py): where a remote or hybrid job may
-- be done from, the role's seniority and stated minimum years of experience, and why a listing
-- looks dubious. Listings loaded before this migration read as "not stated" ([] / NULL) until
-- they are normalized again (NORMALIZER_VERSION 4).
ALTER TABLE listings ADD COLUMN remote_regions VARCHAR[] DEFAULT [];
ALTER TABLE listings ADD COLUMN seniority VARCHAR;
ALTER TABLE listings ADD COLUMN experience_years_min DOUBLE;
ALTER TABLE listings ADD COLUMN suspicious VARCHAR[] DEFAULT [];
