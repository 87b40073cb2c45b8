-- The open tasks due today (:today is the fire time's day in the job's zone), one row per task,
-- with its owner's address and name: the tasks_today job of cron.yaml mails each owner theirs.
SELECT u.email, u.name, t.id, t.title, p.name AS project
FROM tasks t
JOIN users u ON u.id = t.user_id
LEFT JOIN projects p ON p.id = t.project_id
LEFT JOIN statuses s ON s.id = t.status_id
WHERE t.due_date = :today AND COALESCE(s.is_done, 0) = 0
ORDER BY u.email, t.position, t.id
