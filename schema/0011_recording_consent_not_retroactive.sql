-- No retroactive consent to record: 0010 added bookings.record_consent with DEFAULT true, which gave every booking
-- made before it (whose mentee was never shown the mentor's auto-record setting) consent. Those bookings do not
-- consent; bookings made since got their mentor's setting from the bookings_record_consent trigger and keep it.
-- A booking made without the trigger (none should be) does not consent either.
ALTER TABLE bookings ALTER COLUMN record_consent SET DEFAULT false;

UPDATE bookings SET record_consent = false
WHERE record_consent AND created_at < (SELECT applied_at FROM schema_migrations WHERE name = '0010_recordings.sql');
