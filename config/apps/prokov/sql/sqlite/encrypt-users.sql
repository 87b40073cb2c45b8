-- SQLite's side of sql/encrypt-users.sql (see there). SQLite keeps the UNIQUE of CREATE TABLE on
-- email (only a rebuild drops it); envelopes never repeat, so the blind index's is the one that
-- counts. A VARCHAR length is only a name in SQLite: the column holds the envelope as it is.
ALTER TABLE users ADD COLUMN email_bidx char(32) NULL;
CREATE UNIQUE INDEX users__email_bidx ON users (email_bidx);

UPDATE users SET email = 'v1:k1:6tR9aC-KFCbXoIvcSV3e4updiW7JeKPm8aR8UF4IB6D2z7WAU6KqLu3NTlE', email_bidx = 'f0cfd1bb632ad373e13d70c6b9711225' WHERE id = 1;
UPDATE users SET email = 'v1:k1:wDY-_NgCDXwDknCgVrFOV1Ly23fmzMyop-usfS5jRKaHxVFDj3TsltvnR6G8', email_bidx = '77fc221c75cc87dee8642ba609f94f71' WHERE id = 2;
