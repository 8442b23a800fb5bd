-- Identity: accounts, refresh-token families (sessions), rotated refresh tokens, and the hash-chained audit log.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         citext      NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash text        NOT NULL,
    roles         text[]      NOT NULL CHECK (roles <@ ARRAY['admin', 'mentor', 'mentee'] AND cardinality(roles) >= 1),
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A session is one refresh-token family: every rotation stays in it; reuse of a rotated token revokes all of it.
CREATE TABLE sessions (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             uuid        NOT NULL REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    absolute_expires_at timestamptz NOT NULL,
    revoked_at          timestamptz,
    revoked_reason      text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Only the SHA-256 of a refresh token is stored.
CREATE TABLE refresh_tokens (
    token_hash      bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id      uuid        NOT NULL REFERENCES sessions (id),
    issued_at       timestamptz NOT NULL DEFAULT now(),
    idle_expires_at timestamptz NOT NULL,
    rotated_at      timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || audit_canonical(entry)).
CREATE TABLE audit_log (
    id         bigint PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor_id   uuid,
    action     text        NOT NULL,
    target     text,
    outcome    text        NOT NULL,
    ip         text,
    request_id text,
    details    jsonb       NOT NULL DEFAULT '{}',
    prev_hash  bytea       NOT NULL,
    hash       bytea       NOT NULL
);
CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- The canonical text of an entry, the same at append and at verify (jsonb::text has a canonical key order).
CREATE FUNCTION audit_canonical(e audit_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws('|', e.id::text,
        to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        coalesce(e.actor_id::text, ''), e.action, coalesce(e.target, ''), e.outcome,
        coalesce(e.ip, ''), coalesce(e.request_id, ''), e.details::text)
$$;

-- Appends one entry inside the caller's transaction. The advisory lock serializes appends, so the chain never forks.
CREATE FUNCTION audit_append(p_actor uuid, p_action text, p_target text, p_outcome text, p_ip text,
                             p_request_id text, p_details jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    e audit_log;
BEGIN
    PERFORM pg_advisory_xact_lock(4242002);
    SELECT hash INTO e.prev_hash FROM audit_log ORDER BY id DESC LIMIT 1;
    e.prev_hash := coalesce(e.prev_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    e.id := nextval('audit_log_id_seq');
    e.at := date_trunc('microseconds', clock_timestamp());
    e.actor_id := p_actor; e.action := p_action; e.target := p_target; e.outcome := p_outcome;
    e.ip := p_ip; e.request_id := p_request_id; e.details := coalesce(p_details, '{}'::jsonb);
    e.hash := digest(e.prev_hash || convert_to(audit_canonical(e), 'UTF8'), 'sha256');
    INSERT INTO audit_log VALUES (e.*);
    RETURN e.id;
END
$$;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
