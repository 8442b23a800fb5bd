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

-- Session rooms (one per 1:1 booking or group session) and their chat, numbered per room.
CREATE TABLE rooms (
    id       uuid PRIMARY KEY REFERENCES bookings (id),
    last_seq bigint NOT NULL DEFAULT 0
);

CREATE TABLE room_messages (
    id        bigserial PRIMARY KEY,
    room_id   uuid        NOT NULL REFERENCES rooms (id),
    seq       bigint      NOT NULL,
    sender_id uuid        NOT NULL REFERENCES users (id),
    text      text        NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    sent_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (room_id, seq)
);

-- Reminders sent (24 hours and 15 minutes before each session): the key makes each one happen once, whichever
-- process schedules it.
CREATE TABLE reminders (
    booking_id uuid        NOT NULL REFERENCES bookings (id),
    kind       text        NOT NULL CHECK (kind IN ('24h', '15m')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (booking_id, kind)
);
