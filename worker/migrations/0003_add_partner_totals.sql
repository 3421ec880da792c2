-- Organizer totals by partner, kept by triggers so that reading them costs one row per
-- (campaign, partner) pair, not one per signature. Forward-only: a new table and triggers.

-- Signatures per local campaign and partner code ('' for signatures that came with no partner).
CREATE TABLE partner_totals (
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
  partner         TEXT    NOT NULL,
  signature_count INTEGER NOT NULL DEFAULT 0 CHECK (signature_count >= 0),
  PRIMARY KEY (campaign_id, partner)
) WITHOUT ROWID;

INSERT INTO partner_totals (campaign_id, partner, signature_count)
  SELECT campaign_id, coalesce(partner, ''), count(*) FROM signatures GROUP BY 1, 2;

CREATE TRIGGER signatures_partner_after_insert AFTER INSERT ON signatures
BEGIN
  INSERT INTO partner_totals (campaign_id, partner, signature_count)
    VALUES (NEW.campaign_id, coalesce(NEW.partner, ''), 1)
    ON CONFLICT (campaign_id, partner) DO UPDATE SET signature_count = signature_count + 1;
END;

CREATE TRIGGER signatures_partner_after_delete AFTER DELETE ON signatures
BEGIN
  UPDATE partner_totals SET signature_count = signature_count - 1
   WHERE campaign_id = OLD.campaign_id AND partner = coalesce(OLD.partner, '');
END;

-- The moderation queue: an effort's campaigns awaiting approval, oldest first.
CREATE INDEX campaigns_effort_status_created ON campaigns (effort_id, status, created_at);
