-- film: default list
SELECT `film`.`film_id`, `film`.`title`, `film`.`description`, `film`.`release_year`, `film`.`language_id`, `film`.`rental_rate`, `film`.`rating`, `film`.`special_features`, `film`.`last_update`, (SELECT COUNT(*) FROM `film`) AS `__sogoms_total` FROM `film` ORDER BY `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?;
--   params: [50,0]

-- film: every operator, or-group, sort, page, no count
SELECT `film`.`film_id`, `film`.`title`, `film`.`description`, `film`.`release_year`, `film`.`language_id`, `film`.`rental_rate`, `film`.`rating`, `film`.`special_features`, `film`.`last_update` FROM `film` WHERE (`film`.`title` LIKE ? OR `film`.`film_id` IN (?)) AND `film`.`rating` NOT IN (?) AND `film`.`release_year` >= ? AND `film`.`release_year` <= ? AND `film`.`description` IS NOT NULL AND `film`.`film_id` <> ? AND `film`.`film_id` > ? AND `film`.`film_id` < ? ORDER BY `film`.`release_year` DESC, `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?;
--   params: ["A%",[1,2,3],["R","NC-17"],2000,2010,7,0,1000,10,10]

-- film: named filter
SELECT `film`.`film_id`, `film`.`title`, `film`.`description`, `film`.`release_year`, `film`.`language_id`, `film`.`rental_rate`, `film`.`rating`, `film`.`special_features`, `film`.`last_update`, (SELECT COUNT(*) FROM `film` WHERE (title LIKE ?)) AS `__sogoms_total` FROM `film` WHERE (title LIKE ?) ORDER BY `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?;
--   params: ["AC%","AC%",50,0]

-- film: fields + include=language,actor,language.film
SELECT `film`.`title`, `film`.`language_id` AS `__sogoms_link_language_id`, `film`.`film_id` AS `__sogoms_link_film_id`, (SELECT COUNT(*) FROM `film`) AS `__sogoms_total` FROM `film` ORDER BY `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?;
--   params: [5,0]
SELECT `language`.`language_id`, `language`.`name`, `language`.`last_update`, `language`.`language_id` AS `__sogoms_parent` FROM `language` WHERE `language`.`language_id` IN (SELECT `language_id` FROM (SELECT `film`.`language_id` FROM `film` ORDER BY `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?) AS `__sogoms_page`) ORDER BY `language`.`language_id` ASC;
--   params: [5,0]
SELECT `film`.`film_id`, `film`.`title`, `film`.`description`, `film`.`release_year`, `film`.`language_id`, `film`.`rental_rate`, `film`.`rating`, `film`.`special_features`, `film`.`last_update`, `film`.`language_id` AS `__sogoms_parent` FROM `film` WHERE `film`.`language_id` IN (SELECT `language`.`language_id` FROM `language` WHERE `language`.`language_id` IN (SELECT `language_id` FROM (SELECT `film`.`language_id` FROM `film` ORDER BY `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?) AS `__sogoms_page`)) ORDER BY `film`.`title` ASC, `film`.`film_id` ASC;
--   params: [5,0]
SELECT `actor`.`actor_id`, `actor`.`first_name`, `actor`.`last_name`, `actor`.`last_update`, `__sogoms_through`.`film_id` AS `__sogoms_parent` FROM `actor` JOIN `film_actor` AS `__sogoms_through` ON `__sogoms_through`.`actor_id` = `actor`.`actor_id` WHERE `__sogoms_through`.`film_id` IN (SELECT `film_id` FROM (SELECT `film`.`film_id` FROM `film` ORDER BY `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?) AS `__sogoms_page`) ORDER BY `actor`.`actor_id` ASC;
--   params: [5,0]

-- film_actor: to-one includes joined into the page, nested ones too
SELECT `film_actor`.`actor_id`, `film_actor`.`film_id`, `film_actor`.`last_update`, (SELECT COUNT(*) FROM `film_actor`) AS `__sogoms_total`, `__sogoms_j1`.`film_id` AS `__sogoms_j1_0`, `__sogoms_j1`.`title` AS `__sogoms_j1_1`, `__sogoms_j1`.`description` AS `__sogoms_j1_2`, `__sogoms_j1`.`release_year` AS `__sogoms_j1_3`, `__sogoms_j1`.`language_id` AS `__sogoms_j1_4`, `__sogoms_j1`.`rental_rate` AS `__sogoms_j1_5`, `__sogoms_j1`.`rating` AS `__sogoms_j1_6`, `__sogoms_j1`.`special_features` AS `__sogoms_j1_7`, `__sogoms_j1`.`last_update` AS `__sogoms_j1_8`, `__sogoms_j2`.`language_id` AS `__sogoms_j2_0`, `__sogoms_j2`.`name` AS `__sogoms_j2_1`, `__sogoms_j2`.`last_update` AS `__sogoms_j2_2`, `__sogoms_j3`.`actor_id` AS `__sogoms_j3_0`, `__sogoms_j3`.`first_name` AS `__sogoms_j3_1`, `__sogoms_j3`.`last_name` AS `__sogoms_j3_2`, `__sogoms_j3`.`last_update` AS `__sogoms_j3_3` FROM `film_actor` LEFT JOIN `film` AS `__sogoms_j1` ON `__sogoms_j1`.`film_id` = `film_actor`.`film_id` LEFT JOIN `language` AS `__sogoms_j2` ON `__sogoms_j2`.`language_id` = `__sogoms_j1`.`language_id` LEFT JOIN `actor` AS `__sogoms_j3` ON `__sogoms_j3`.`actor_id` = `film_actor`.`actor_id` ORDER BY `film_actor`.`actor_id` ASC, `film_actor`.`film_id` ASC LIMIT ? OFFSET ?;
--   params: [5,0]

-- film_actor: a to-one include with a to-many below it is a statement of its own
SELECT `film_actor`.`actor_id`, `film_actor`.`film_id`, `film_actor`.`last_update`, (SELECT COUNT(*) FROM `film_actor`) AS `__sogoms_total` FROM `film_actor` ORDER BY `film_actor`.`actor_id` ASC, `film_actor`.`film_id` ASC LIMIT ? OFFSET ?;
--   params: [5,0]
SELECT `film`.`film_id`, `film`.`title`, `film`.`description`, `film`.`release_year`, `film`.`language_id`, `film`.`rental_rate`, `film`.`rating`, `film`.`special_features`, `film`.`last_update`, `film`.`film_id` AS `__sogoms_parent` FROM `film` WHERE `film`.`film_id` IN (SELECT `film_id` FROM (SELECT `film_actor`.`film_id` FROM `film_actor` ORDER BY `film_actor`.`actor_id` ASC, `film_actor`.`film_id` ASC LIMIT ? OFFSET ?) AS `__sogoms_page`) ORDER BY `film`.`title` ASC, `film`.`film_id` ASC;
--   params: [5,0]
SELECT `actor`.`actor_id`, `actor`.`first_name`, `actor`.`last_name`, `actor`.`last_update`, `__sogoms_through`.`film_id` AS `__sogoms_parent` FROM `actor` JOIN `film_actor` AS `__sogoms_through` ON `__sogoms_through`.`actor_id` = `actor`.`actor_id` WHERE `__sogoms_through`.`film_id` IN (SELECT `film`.`film_id` FROM `film` WHERE `film`.`film_id` IN (SELECT `film_id` FROM (SELECT `film_actor`.`film_id` FROM `film_actor` ORDER BY `film_actor`.`actor_id` ASC, `film_actor`.`film_id` ASC LIMIT ? OFFSET ?) AS `__sogoms_page`)) ORDER BY `actor`.`actor_id` ASC;
--   params: [5,0]

-- film: a named filter (unqualified columns) reads its to-one includes apart
SELECT `film`.`film_id`, `film`.`title`, `film`.`description`, `film`.`release_year`, `film`.`language_id`, `film`.`rental_rate`, `film`.`rating`, `film`.`special_features`, `film`.`last_update`, (SELECT COUNT(*) FROM `film` WHERE (title LIKE ?)) AS `__sogoms_total` FROM `film` WHERE (title LIKE ?) ORDER BY `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?;
--   params: ["AC%","AC%",50,0]
SELECT `language`.`language_id`, `language`.`name`, `language`.`last_update`, `language`.`language_id` AS `__sogoms_parent` FROM `language` WHERE `language`.`language_id` IN (SELECT `language_id` FROM (SELECT `film`.`language_id` FROM `film` WHERE (title LIKE ?) ORDER BY `film`.`title` ASC, `film`.`film_id` ASC LIMIT ? OFFSET ?) AS `__sogoms_page`) ORDER BY `language`.`language_id` ASC;
--   params: ["AC%",50,0]

-- task_labels: a joined owner-filtered parent carries the owner rule in its ON clause
SELECT `task_labels`.`task_id`, `task_labels`.`label`, (SELECT COUNT(*) FROM `task_labels` WHERE `task_labels`.`task_id` IN (SELECT `tasks`.`id` FROM `tasks` WHERE `tasks`.`user_id` = ?)) AS `__sogoms_total`, `__sogoms_j1`.`id` AS `__sogoms_j1_0`, `__sogoms_j1`.`user_id` AS `__sogoms_j1_1`, `__sogoms_j1`.`title` AS `__sogoms_j1_2`, `__sogoms_j1`.`done` AS `__sogoms_j1_3`, `__sogoms_j1`.`due_date` AS `__sogoms_j1_4`, `__sogoms_j1`.`created_at` AS `__sogoms_j1_5` FROM `task_labels` LEFT JOIN `tasks` AS `__sogoms_j1` ON `__sogoms_j1`.`id` = `task_labels`.`task_id` AND `__sogoms_j1`.`user_id` = ? WHERE `task_labels`.`task_id` IN (SELECT `tasks`.`id` FROM `tasks` WHERE `tasks`.`user_id` = ?) ORDER BY `task_labels`.`task_id` ASC, `task_labels`.`label` ASC LIMIT ? OFFSET ?;
--   params: ["7","7","7",50,0]

-- film: count of an empty page
SELECT COUNT(*) AS `__sogoms_total` FROM `film`;
--   params: []

-- film 1: read with include=language,actor
SELECT `film`.`film_id`, `film`.`title`, `film`.`description`, `film`.`release_year`, `film`.`language_id`, `film`.`rental_rate`, `film`.`rating`, `film`.`special_features`, `film`.`last_update`, `__sogoms_j1`.`language_id` AS `__sogoms_j1_0`, `__sogoms_j1`.`name` AS `__sogoms_j1_1`, `__sogoms_j1`.`last_update` AS `__sogoms_j1_2` FROM `film` LEFT JOIN `language` AS `__sogoms_j1` ON `__sogoms_j1`.`language_id` = `film`.`language_id` WHERE `film`.`film_id` = ?;
--   params: [1]
SELECT `actor`.`actor_id`, `actor`.`first_name`, `actor`.`last_name`, `actor`.`last_update`, `__sogoms_through`.`film_id` AS `__sogoms_parent` FROM `actor` JOIN `film_actor` AS `__sogoms_through` ON `__sogoms_through`.`actor_id` = `actor`.`actor_id` WHERE `__sogoms_through`.`film_id` IN (SELECT `film`.`film_id` FROM `film` WHERE `film`.`film_id` = ?) ORDER BY `actor`.`actor_id` ASC;
--   params: [1]

-- tasks: owner-filtered list
SELECT `tasks`.`id`, `tasks`.`user_id`, `tasks`.`title`, `tasks`.`done`, `tasks`.`due_date`, `tasks`.`created_at`, (SELECT COUNT(*) FROM `tasks` WHERE `tasks`.`done` = ? AND `tasks`.`user_id` = ?) AS `__sogoms_total` FROM `tasks` WHERE `tasks`.`done` = ? AND `tasks`.`user_id` = ? ORDER BY `tasks`.`id` ASC LIMIT ? OFFSET ?;
--   params: [0,"7",0,"7",50,0]

-- tasks: owner-filtered read, update, delete
SELECT `tasks`.`id`, `tasks`.`user_id`, `tasks`.`title`, `tasks`.`done`, `tasks`.`due_date`, `tasks`.`created_at` FROM `tasks` WHERE `tasks`.`id` = ? AND `tasks`.`user_id` = ?;
--   params: [3,7]
UPDATE `tasks` SET `title` = ? WHERE `tasks`.`id` = ? AND `tasks`.`user_id` = ?;
--   params: ["x",3,7]
DELETE FROM `tasks` WHERE `tasks`.`id` = ? AND `tasks`.`user_id` = ?;
--   params: [3,7]

-- tasks: create forcing the owner
INSERT INTO `tasks` (`title`, `user_id`) VALUES (?, ?);
--   params: ["x",7]
SELECT `tasks`.`id`, `tasks`.`user_id`, `tasks`.`title`, `tasks`.`done`, `tasks`.`due_date`, `tasks`.`created_at` FROM `tasks` WHERE `tasks`.`id` = LAST_INSERT_ID();
--   params: []

-- task_labels: rows owned through their task
SELECT `task_labels`.`task_id`, `task_labels`.`label`, (SELECT COUNT(*) FROM `task_labels` WHERE `task_labels`.`label` = ? AND `task_labels`.`task_id` IN (SELECT `tasks`.`id` FROM `tasks` WHERE `tasks`.`user_id` = ?)) AS `__sogoms_total` FROM `task_labels` WHERE `task_labels`.`label` = ? AND `task_labels`.`task_id` IN (SELECT `tasks`.`id` FROM `tasks` WHERE `tasks`.`user_id` = ?) ORDER BY `task_labels`.`task_id` ASC, `task_labels`.`label` ASC LIMIT ? OFFSET ?;
--   params: ["x","7","x","7",50,0]
SELECT `task_labels`.`task_id`, `task_labels`.`label` FROM `task_labels` WHERE `task_labels`.`task_id` = ? AND `task_labels`.`label` = ? AND `task_labels`.`task_id` IN (SELECT `tasks`.`id` FROM `tasks` WHERE `tasks`.`user_id` = ?);
--   params: [3,"x",7]
SELECT DISTINCT 0 AS `k`, `tasks`.`id` AS `v` FROM `tasks` WHERE `tasks`.`id` IN (?) AND `tasks`.`user_id` = ?;
--   params: [[3,4],7]

-- address: geometry written with ST_GeomFromText, read with ST_AsText; PUT defaults
INSERT INTO `address` (`address`, `location`) VALUES (?, ST_GeomFromText(?));
--   params: ["Main St","POINT(1 2)"]
SELECT `address`.`address_id`, `address`.`address`, ST_AsText(`address`.`location`) AS `location`, ST_AsText(`address`.`spot`) AS `spot`, `address`.`big`, `address`.`ratio`, `address`.`opens`, `address`.`meta`, `address`.`picture` FROM `address` WHERE `address`.`address_id` = ?;
--   params: [1]
UPDATE `address` SET `location` = ST_GeomFromText(?), `picture` = DEFAULT WHERE `address`.`address_id` = ?;
--   params: ["POINT(3 4)",1]

-- film_actor: composite key
SELECT `film_actor`.`actor_id`, `film_actor`.`film_id`, `film_actor`.`last_update` FROM `film_actor` WHERE `film_actor`.`actor_id` = ? AND `film_actor`.`film_id` = ?;
--   params: [1,23]
SELECT `film_actor`.`actor_id`, `film_actor`.`film_id`, `film_actor`.`last_update` FROM `film_actor` WHERE `film_actor`.`actor_id` = ? AND `film_actor`.`film_id` = ?;
--   params: [1,23]
DELETE FROM `film_actor` WHERE `film_actor`.`actor_id` = ? AND `film_actor`.`film_id` = ?;
--   params: [1,23]
