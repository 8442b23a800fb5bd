-- Real time: in-app notifications, and the events each consumer has handled (so a redelivered or replayed event
-- does nothing twice).

CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id),
    type       text        NOT NULL,
    title      text        NOT NULL,
    body       text        NOT NULL,
    data       jsonb       NOT NULL DEFAULT '{}',
    -- The outbox event it came from (one notification per event and user).
    event_id   bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz,
    UNIQUE (event_id, user_id)
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id, id DESC) WHERE read_at IS NULL;

CREATE TABLE consumer_events (
    consumer   text        NOT NULL,
    event_id   bigint      NOT NULL,
    handled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
