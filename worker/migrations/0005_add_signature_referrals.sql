-- Referrals: each signature gets a random code of its own (for the signer's share links), and records
-- the code it arrived through, if any. The code is random, never derived from the email, so it reveals
-- nothing about who signed. Organizers count what each share brought in with `referred_by`.
ALTER TABLE signatures ADD COLUMN referral_code TEXT;
ALTER TABLE signatures ADD COLUMN referred_by TEXT;
CREATE UNIQUE INDEX signatures_referral_code ON signatures (referral_code) WHERE referral_code IS NOT NULL;
CREATE INDEX signatures_referred_by ON signatures (referred_by) WHERE referred_by IS NOT NULL;
