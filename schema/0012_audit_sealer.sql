-- The audit log's chain no longer serialises every audited writer. audit_append used to take the log's global
-- advisory lock and hold it until the caller's transaction ended, so no two audited changes (bookings, logins,
-- webhooks…) could commit at once. Now an entry is written to audit_pending inside the caller's transaction (it
-- commits or rolls back with the change it records, and waits for nothing), and audit_seal() moves committed
-- entries, in the order of their pending ids, into the hash-chained audit_log under the lock: one short transaction
-- for many entries. Every worker seals a few times a second (AuditSealer); audit.list and audit.verify seal first, so
-- they see every committed entry. audit_log itself is unchanged: append-only, id order is chain order.
--
-- The price, documented in the README: until it is sealed (normally well under a second) an entry can be deleted
-- by someone with write access to the database without the chain showing it. Entries are never changed in place:
-- the trigger below refuses UPDATE on audit_pending, and the only DELETE is the sealer's, in the transaction that
-- chains the same entries.
CREATE TABLE audit_pending (
    pending_id bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor_id   uuid,
    action     text        NOT NULL,
    target     text,
    outcome    text        NOT NULL,
    ip         text,
    request_id text,
    details    jsonb       NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE OR TRUNCATE ON audit_pending
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Appends one entry inside the caller's transaction; returns its pending id (its audit_log id comes when sealed).
CREATE OR REPLACE FUNCTION audit_append(p_actor uuid, p_action text, p_target text, p_outcome text, p_ip text,
                                        p_request_id text, p_details jsonb) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO audit_pending (at, actor_id, action, target, outcome, ip, request_id, details)
    VALUES (date_trunc('microseconds', clock_timestamp()), p_actor, p_action, p_target, p_outcome, p_ip, p_request_id,
            coalesce(p_details, '{}'::jsonb))
    RETURNING pending_id
$$;

-- Chains up to p_limit committed pending entries onto audit_log, oldest pending id first, and removes them from
-- audit_pending in the same transaction. With p_wait false it returns 0 at once when another sealer holds the lock.
-- Returns how many entries it chained.
CREATE FUNCTION audit_seal(p_limit int, p_wait boolean) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    previous bytea;
    p audit_pending;
    e audit_log;
    sealed bigint[] := '{}';
BEGIN
    IF p_wait THEN
        PERFORM pg_advisory_xact_lock(4242002);
    ELSIF NOT pg_try_advisory_xact_lock(4242002) THEN
        RETURN 0;
    END IF;
    SELECT hash INTO previous FROM audit_log ORDER BY id DESC LIMIT 1;
    previous := coalesce(previous, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    FOR p IN SELECT * FROM audit_pending ORDER BY pending_id LIMIT p_limit LOOP
        e.id := nextval('audit_log_id_seq');
        e.at := p.at; e.actor_id := p.actor_id; e.action := p.action; e.target := p.target; e.outcome := p.outcome;
        e.ip := p.ip; e.request_id := p.request_id; e.details := p.details;
        e.prev_hash := previous;
        e.hash := digest(previous || convert_to(audit_canonical(e), 'UTF8'), 'sha256');
        INSERT INTO audit_log VALUES (e.*);
        previous := e.hash;
        sealed := sealed || p.pending_id;
    END LOOP;
    DELETE FROM audit_pending WHERE pending_id = ANY(sealed);
    RETURN cardinality(sealed);
END
$$;

-- Every committed entry, chained or still pending (for operators and tests; audit.list reads audit_log after a seal).
CREATE VIEW audit_entries AS
    SELECT id, at, actor_id, action, target, outcome, ip, request_id, details, true AS sealed FROM audit_log
    UNION ALL
    SELECT NULL, at, actor_id, action, target, outcome, ip, request_id, details, false FROM audit_pending;
