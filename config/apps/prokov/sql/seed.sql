-- Prokov demo data. Passwords (bcrypt, cost 10):
--   demo@prokov.test  / prokov-demo   (role default)
--   admin@prokov.test / prokov-admin  (role admin)
-- Explicit ids keep the cross references below readable; AUTO_INCREMENT continues after them.

INSERT INTO users (id, email, password_hash, name, role) VALUES
  (1, 'demo@prokov.test', '$2b$10$0mcTDDpJw1F2e.FtTqNztuuNiTcU77JSUJ9Uf4nhx7MQyJXC.Gjoa', 'Demo User', 'default'),
  (2, 'admin@prokov.test', '$2b$10$0hi8yrBTXH6hHKgweDGxpegtPM0nb9ypLFHIliaIKmBZKPwf7w5cG', 'Admin', 'admin');

INSERT INTO projects (id, user_id, name, color, position) VALUES
  (1, 1, 'Home', '#4caf50', 1),
  (2, 1, 'Work', '#2196f3', 2),
  (3, 1, 'Side project', '#ff9800', 3);

INSERT INTO statuses (id, user_id, name, position, is_done) VALUES
  (1, 1, 'Backlog', 1, 0),
  (2, 1, 'To do', 2, 0),
  (3, 1, 'In progress', 3, 0),
  (4, 1, 'Done', 4, 1);

INSERT INTO tags (id, user_id, name, color) VALUES
  (1, 1, 'urgent', '#f44336'),
  (2, 1, 'errand', '#795548'),
  (3, 1, 'meeting', '#3f51b5'),
  (4, 1, 'idea', '#ffeb3b'),
  (5, 1, 'waiting', '#9e9e9e');

INSERT INTO tasks (id, user_id, project_id, status_id, title, description, due_date, position) VALUES
  (1, 1, 1, 2, 'Buy groceries', 'Milk, bread, coffee, apples.', '2026-12-01', 1),
  (2, 1, 1, 4, 'Pay electricity bill', NULL, '2026-11-20', 2),
  (3, 1, 1, 1, 'Fix the leaking tap', 'Washer size 1/2 inch.', NULL, 3),
  (4, 1, 1, 2, 'Book dentist appointment', NULL, '2026-12-10', 4),
  (5, 1, 2, 3, 'Prepare quarterly report', 'Numbers from finance first.', '2026-12-05', 1),
  (6, 1, 2, 2, 'Weekly team meeting', 'Agenda: release plan, hiring.', '2026-11-30', 2),
  (7, 1, 2, 4, 'Review pull requests', NULL, NULL, 3),
  (8, 1, 2, 1, 'Plan onboarding for new hire', NULL, '2027-01-15', 4),
  (9, 1, 3, 1, 'Sketch the landing page', 'Mobile first.', NULL, 1),
  (10, 1, 3, 3, 'Write the API client', NULL, '2026-12-20', 2),
  (11, 1, 3, 2, 'Ask Sam about the logo', NULL, NULL, 3),
  (12, 1, NULL, 1, 'Read "Designing Data-Intensive Applications"', NULL, NULL, 1);

INSERT INTO task_tags (task_id, tag_id) VALUES
  (1, 2),
  (2, 1), (2, 2),
  (3, 2),
  (4, 2), (4, 5),
  (5, 1),
  (6, 3),
  (8, 3), (8, 4),
  (9, 4),
  (10, 1),
  (11, 5), (11, 3),
  (12, 4);
