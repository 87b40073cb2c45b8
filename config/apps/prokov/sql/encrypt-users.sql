-- Prokov's users.email is encrypted and searchable (schema.yaml, docs/crypt.md). Run after
-- schema.sql and seed.sql: the column takes the envelope, the blind index comes beside it and
-- carries the unique rule, and the two seeded addresses become envelopes made with the DEMO keys
-- of secrets/crypt.keys (shipped in the repository, "demo": true: not secret). A real app makes
-- its own keys (sogoms secrets generate) and encrypts existing rows with sogoms crypt migrate.
ALTER TABLE users
  DROP INDEX email,
  MODIFY email VARCHAR(1087) NOT NULL,
  ADD COLUMN email_bidx CHAR(32) NULL AFTER email,
  ADD UNIQUE KEY email_bidx (email_bidx);

UPDATE users SET email = 'v1:k1:6tR9aC-KFCbXoIvcSV3e4updiW7JeKPm8aR8UF4IB6D2z7WAU6KqLu3NTlE', email_bidx = 'f0cfd1bb632ad373e13d70c6b9711225' WHERE id = 1;
UPDATE users SET email = 'v1:k1:wDY-_NgCDXwDknCgVrFOV1Ly23fmzMyop-usfS5jRKaHxVFDj3TsltvnR6G8', email_bidx = '77fc221c75cc87dee8642ba609f94f71' WHERE id = 2;
