-- Reschedules need consent: a move that one side may not make alone is stored as a proposal on the booking until
-- the other participant accepts (the move then happens, with the slot checked again) or declines.
ALTER TABLE bookings
    ADD COLUMN proposed_start timestamptz,
    ADD COLUMN proposed_by    uuid REFERENCES users (id),
    ADD CONSTRAINT bookings_proposal_whole CHECK ((proposed_start IS NULL) = (proposed_by IS NULL));
