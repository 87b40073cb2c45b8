-- Prokov, the demo task manager: schema for SQLite (the same tables as ../schema.sql for
-- MariaDB; the seed, ../seed.sql, serves both). Run by the db service when the file does not
-- exist yet; the file appears only once every init script succeeded.
-- Declared types keep MariaDB's names where they carry meaning (DATETIME, DECIMAL, TINYINT(1)):
-- the db service reads them to give the same JSON as MariaDB. Ids are INTEGER PRIMARY KEY
-- (SQLite's rowid), AUTOINCREMENT so that an id is never reused, as with InnoDB.

CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(190) NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  name VARCHAR(100) NULL,
  role VARCHAR(7) NOT NULL DEFAULT 'default' CHECK (role IN ('default', 'admin')),
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT email UNIQUE (email)
);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name VARCHAR(100) NOT NULL,
  color CHAR(7) NOT NULL DEFAULT '#607d8b',
  position INT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_projects_user_position ON projects (user_id, position);
-- MariaDB's ON UPDATE CURRENT_TIMESTAMP (recursive triggers are off: this UPDATE does not fire it again).
CREATE TRIGGER projects_updated_at AFTER UPDATE ON projects FOR EACH ROW
  WHEN NEW.updated_at = OLD.updated_at
BEGIN
  UPDATE projects SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

CREATE TABLE statuses (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name VARCHAR(50) NOT NULL,
  position INT NOT NULL DEFAULT 0,
  is_done TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_statuses_user_position ON statuses (user_id, position);

CREATE TABLE tags (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name VARCHAR(50) NOT NULL,
  color CHAR(7) NOT NULL DEFAULT '#9e9e9e',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  -- One tag name per user; also serves lookups by user.
  CONSTRAINT uq_tags_user_name UNIQUE (user_id, name)
);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- A task outlives its project or status: deleting one leaves the task unfiled.
  project_id INTEGER NULL REFERENCES projects (id) ON DELETE SET NULL,
  status_id INTEGER NULL REFERENCES statuses (id) ON DELETE SET NULL,
  title VARCHAR(200) NOT NULL,
  description TEXT NULL,
  due_date DATE NULL,
  position INT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_tasks_user_position ON tasks (user_id, position);
CREATE INDEX idx_tasks_user_due_date ON tasks (user_id, due_date);
CREATE INDEX idx_tasks_project_position ON tasks (project_id, position);
CREATE INDEX idx_tasks_status ON tasks (status_id);
CREATE TRIGGER tasks_updated_at AFTER UPDATE ON tasks FOR EACH ROW
  WHEN NEW.updated_at = OLD.updated_at
BEGIN
  UPDATE tasks SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

CREATE TABLE task_tags (
  task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (task_id, tag_id)
) WITHOUT ROWID;
-- The reverse direction: tasks carrying a tag.
CREATE INDEX idx_task_tags_tag ON task_tags (tag_id);
