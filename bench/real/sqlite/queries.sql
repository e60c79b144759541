-- SQLite workload for walic's benchmarks (runs after the generated INSERT statements for
-- `customers`; the runner prepends them). Bulk inserts in a transaction, index builds, indexed
-- point queries, joins with grouping, an update and a delete. Every result is deterministic.
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 150000)
INSERT INTO orders(id, customer, amount, note)
  SELECT i, 1 + (i * 104729) % (SELECT count(*) FROM customers), (i * 2654435761) % 10000,
         printf('order %d for batch %d', i, i % 977)
  FROM seq;
COMMIT;
CREATE INDEX orders_customer ON orders(customer);
CREATE INDEX customers_city ON customers(city, name);
ANALYZE;
SELECT 'orders', count(*), sum(amount), max(length(note)) FROM orders;
-- Indexed point lookups driven from a generated sequence.
WITH RECURSIVE q(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM q WHERE i < 40000)
SELECT 'lookups', sum((SELECT sum(amount) FROM orders WHERE customer = (i * 31) % 20000 + 1)) FROM q;
WITH RECURSIVE q(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM q WHERE i < 20000)
SELECT 'names', count(*) FROM q JOIN customers c ON c.city = i % 500 AND c.name > 'customer-5';
-- Joins with grouping and ordering.
SELECT 'city', c.city, count(*), sum(o.amount), round(avg(c.score), 3)
  FROM customers c JOIN orders o ON o.customer = c.id
  WHERE c.city < 40 GROUP BY c.city ORDER BY sum(o.amount) DESC, c.city LIMIT 8;
SELECT 'top', c.name, t.total
  FROM (SELECT customer, sum(amount) AS total FROM orders GROUP BY customer) AS t
  JOIN customers c ON c.id = t.customer ORDER BY t.total DESC, c.name LIMIT 5;
SELECT 'notes', count(DISTINCT note), count(*) FROM orders WHERE note LIKE '%batch 9%';
UPDATE orders SET amount = amount + 1 WHERE customer % 10 = 0;
DELETE FROM orders WHERE amount > 9900;
SELECT 'after', count(*), sum(amount), total_changes() FROM orders;
PRAGMA integrity_check;
