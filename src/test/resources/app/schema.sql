-- A test schema of our own making, shaped like a small shop application rather than the demo:
-- odd types, quoted and non-ASCII names, a partitioned table, composite keys, a view, a
-- materialized view and a table with no key. Every value is deterministic (no random(), no now()),
-- and every timestamptz is written with an explicit offset, so the data is the same in any session
-- time zone. Re-running the whole script drops and rebuilds everything.
--
-- Rows: shop.customers 1,200; shop.products 300; shop.orders 6,000 (2024: 2,003, 2025: 1,999,
-- 2026: 1,998); shop.order_lines 15,000; shop.audit_events 500; "Sales Ω"."Region Targets" 50.

DROP SCHEMA IF EXISTS shop CASCADE;
DROP SCHEMA IF EXISTS "Sales Ω" CASCADE;

CREATE SCHEMA shop;
CREATE SCHEMA "Sales Ω";

-- not alphabetical on purpose: a sort on status follows this order
CREATE TYPE shop.order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');
CREATE DOMAIN shop.sku_code AS text CHECK (VALUE ~ '^[A-Z]{3}-[0-9]{4}$');
CREATE DOMAIN shop.money_amount AS numeric(14,4);

-- customers ---------------------------------------------------------------------------------------

CREATE TABLE shop.customers (
  customer_id bigint PRIMARY KEY,
  email text NOT NULL UNIQUE,
  "Display Name" text,
  country char(2),
  signed_up_at timestamptz NOT NULL,
  birthday date,
  tags text[],
  preferences jsonb,
  "order" integer,
  "ñandú" text,
  loyalty_points numeric
);
COMMENT ON TABLE shop.customers IS 'People who have an account in the shop.';
COMMENT ON COLUMN shop.customers."order" IS 'Position in the sales team''s call list; shared, may be missing.';

INSERT INTO shop.customers
SELECT
  g AS customer_id,
  CASE WHEN g % 100 = 0 THEN 'Customer' || lpad(g::text, 4, '0') || '@Example.COM'
       ELSE 'customer' || lpad(g::text, 4, '0') || '@example.'
            || (ARRAY['com', 'org', 'net'])[g % 3 + 1]
  END AS email,
  CASE WHEN g % 11 = 0 THEN NULL
       WHEN g = 5 THEN ''
       WHEN g % 7 = 0 THEN 'Alex Smith'
       WHEN g % 29 = 0 THEN 'alex smith'
       ELSE (ARRAY['Ana', 'Bo', 'Zoë', 'Łukasz', 'Mia', 'Noah', 'Ōtani', 'Priya', 'Sam', '李'])[g % 10 + 1]
            || ' ' || (ARRAY['Smith', 'García', 'Müller', 'Nakamura', 'O''Brien', 'Ng', 'Kowalski',
                             'Silva', 'Dupont', 'Singh', 'van der Berg', 'Ivanova', 'Cohen'])[(g / 10) % 13 + 1]
  END AS "Display Name",
  CASE WHEN g % 50 = 0 THEN NULL
       ELSE (ARRAY['US', 'DE', 'FR', 'JP', 'BR', 'IN', 'GB', 'NO'])[g % 8 + 1]
  END AS country,
  timestamptz '2023-01-01 00:00:00+00'
    + (g - CASE WHEN g % 97 = 0 THEN 1 ELSE 0 END) * interval '7 hours 13 minutes 17.123456 seconds'
    AS signed_up_at,
  CASE WHEN g = 3 THEN date 'infinity'
       WHEN g = 4 THEN date '-infinity'
       WHEN g = 6 THEN date '2000-02-29'
       WHEN g % 9 = 0 THEN NULL
       ELSE date '1950-01-01' + (g * 37) % 20000
  END AS birthday,
  CASE WHEN g = 7 THEN ARRAY['a,b', 'say "hi"', 'back\slash', '{braces}', 'NULL', '', ' spaced ', 'semi;colon']
       WHEN g = 8 THEN ARRAY['x', NULL, 'y']
       WHEN g % 6 = 0 THEN NULL
       WHEN g % 6 = 1 THEN '{}'::text[]
       WHEN g % 6 = 2 THEN ARRAY['vip']
       WHEN g % 6 = 3 THEN ARRAY['newsletter', 'beta']
       WHEN g % 6 = 4 THEN ARRAY['wholesale', 'net-30', 'ünïcödé']
       ELSE ARRAY['returns:' || (g % 4)]
  END AS tags,
  CASE WHEN g = 1 THEN '{"big": 1e100, "small": 0.1, "neg": -0.0, "exp": 2.5E-7, "int": 9007199254740993,
                         "unicode": "Grüße 👋 \u00e9 \u2028 end",
                         "escaped": "quote \" backslash \\ slash \/ newline \n tab \t ctrl \u0001",
                         "nested": {"a": [1, [2, [3, {"b": null}]]], "empty": {}, "emptyArr": []}}'::jsonb
       WHEN g = 2 THEN '"just a string"'::jsonb
       WHEN g = 3 THEN 'null'::jsonb
       WHEN g = 4 THEN '[1, "two", 3.0, false, null, {"k": "v"}]'::jsonb
       WHEN g = 5 THEN '{}'::jsonb
       WHEN g = 6 THEN '{"a": {"b": {"c": {"d": {"e": {"f": {"g": ["deep"]}}}}}}}'::jsonb
       WHEN g % 15 = 0 THEN NULL
       ELSE jsonb_build_object(
              'theme', (ARRAY['light', 'dark', 'system'])[g % 3 + 1],
              'language', (ARRAY['en', 'de', 'fr', 'ja', 'pt-BR'])[g % 5 + 1],
              'notifications', jsonb_build_object('email', g % 2 = 0, 'sms', g % 3 = 0,
                                                  'quiet_hours', jsonb_build_array(22, 7)),
              'score', g * 0.1,
              'recent_skus', CASE WHEN g % 4 = 0 THEN '[]'::jsonb
                                  ELSE jsonb_build_array('TOY-' || lpad((g % 300 + 1)::text, 4, '0')) END)
  END AS preferences,
  CASE WHEN g % 13 = 0 THEN NULL ELSE g % 40 END AS "order",
  CASE WHEN g % 4 = 0 THEN NULL ELSE 'ñandú-' || (g % 17) END AS "ñandú",
  CASE WHEN g = 1 THEN '12345678901234567890.123456789012345'::numeric
       WHEN g = 2 THEN 'NaN'::numeric
       WHEN g = 3 THEN 'Infinity'::numeric
       WHEN g = 4 THEN '-Infinity'::numeric
       WHEN g = 5 THEN '-0.000000000000000000001'::numeric
       WHEN g = 6 THEN '1e40'::numeric
       WHEN g = 7 THEN '-98765432109876543210.987654321'::numeric
       WHEN g % 10 = 0 THEN NULL
       ELSE ((g * 7919) % 400) * 12.5
  END AS loyalty_points
FROM generate_series(1, 1200) AS g;

-- products ----------------------------------------------------------------------------------------

CREATE TABLE shop.products (
  sku shop.sku_code PRIMARY KEY,
  name text NOT NULL,
  price shop.money_amount NOT NULL,
  weight_kg real,
  ratio double precision,
  photo bytea,
  dims integer[][],
  launched date,
  available_from time,
  opens_at timetz,
  lead_time interval,
  created_local timestamp,
  attrs json,
  search tsvector,
  ip inet,
  price_band int4range,
  location point,
  status_bits bit varying(8)
);
COMMENT ON TABLE shop.products IS 'The catalogue.';

INSERT INTO shop.products
SELECT
  s.sku, s.name, s.price,
  CASE WHEN g = 1 THEN 'NaN'::real
       WHEN g = 2 THEN 'Infinity'::real
       WHEN g = 3 THEN '-Infinity'::real
       WHEN g = 4 THEN '1.4e-45'::real
       WHEN g = 5 THEN '3.4028235e38'::real
       WHEN g = 6 THEN '-0'::real
       WHEN g % 12 = 0 THEN NULL
       ELSE (g * 0.137)::real
  END AS weight_kg,
  CASE WHEN g = 1 THEN '1e-300'::float8
       WHEN g = 2 THEN '1.7976931348623157e308'::float8
       WHEN g = 3 THEN '-0.0'::float8
       WHEN g = 4 THEN 0.1::float8 + 0.2::float8
       WHEN g = 5 THEN '4.9e-324'::float8
       WHEN g = 6 THEN '-1.7976931348623157e308'::float8
       WHEN g % 14 = 0 THEN NULL
       ELSE g::float8 / 7
  END AS ratio,
  CASE WHEN g = 1 THEN b.all_bytes
       WHEN g % 5 = 0 THEN NULL
       WHEN g % 5 = 1 THEN '\x'::bytea
       ELSE int8send(g::bigint * 1234567891) || convert_to('photo-' || g, 'UTF8')
  END AS photo,
  CASE WHEN g = 7 THEN '[0:1][0:1]={{1,2},{3,4}}'::integer[]
       WHEN g = 11 THEN ARRAY[[1, NULL], [3, 4]]
       WHEN g % 4 = 0 THEN ARRAY[[g, g + 1], [g + 2, g + 3]]
       WHEN g % 4 = 1 THEN ARRAY[[1, 2, 3]]
       WHEN g % 4 = 2 THEN NULL
       ELSE '{}'::integer[]
  END AS dims,
  CASE WHEN g % 17 = 0 THEN NULL ELSE date '2015-01-01' + g * 11 END AS launched,
  CASE WHEN g = 1 THEN time '24:00:00'
       WHEN g = 2 THEN time '00:00:00'
       WHEN g = 3 THEN time '23:59:59.999999'
       WHEN g % 16 = 0 THEN NULL
       ELSE time '08:00' + g * interval '7 minutes 3.5 seconds'
  END AS available_from,
  CASE WHEN g % 18 = 0 THEN NULL
       ELSE (to_char(time '06:00' + g * interval '13 minutes', 'HH24:MI:SS')
             || (ARRAY['+00', '+05:30', '-08', '+14', '-12', '+01'])[g % 6 + 1])::timetz
  END AS opens_at,
  CASE WHEN g = 1 THEN interval '1 year 2 mons 3 days 04:05:06.789'
       WHEN g = 2 THEN interval '-1 day'
       WHEN g = 3 THEN interval '00:00:00.000001'
       WHEN g = 4 THEN interval '-1 year +1 day -00:00:01'
       WHEN g = 5 THEN interval '100 years'
       WHEN g = 6 THEN interval '1 mon -30 days'
       WHEN g % 19 = 0 THEN NULL
       ELSE make_interval(days => g % 30, hours => g % 24)
  END AS lead_time,
  CASE WHEN g = 1 THEN timestamp '0044-03-15 12:00:00 BC'
       WHEN g % 21 = 0 THEN NULL
       ELSE timestamp '2020-01-01 00:00:00' + g * interval '1 day 1 hour 1.000001 seconds'
  END AS created_local,
  CASE WHEN g % 3 = 0 THEN ('{
    "color" :  "red",
        "color": "blue",   "size" : [ 1 , 2 ,3 ] ,"nested":{ "k" : null , "sku":"' || s.sku || '" }
}')::json
       WHEN g % 3 = 1 THEN json_build_object('color', (ARRAY['red', 'green', 'blue'])[g % 3 + 1], 'size', g % 5)
       ELSE NULL
  END AS attrs,
  to_tsvector('english', s.name || ' ' || s.category) AS search,
  CASE WHEN g % 10 = 0 THEN NULL
       WHEN g % 2 = 1 THEN ('10.' || (g / 256) || '.' || (g % 256) || '.1/24')::inet
       ELSE ('2001:db8::' || to_hex(g))::inet
  END AS ip,
  CASE WHEN g = 1 THEN 'empty'::int4range
       WHEN g = 2 THEN '[100,)'::int4range
       WHEN g = 3 THEN '(,0)'::int4range
       WHEN g % 23 = 0 THEN NULL
       ELSE int4range(floor(s.price / 10)::int * 10, floor(s.price / 10)::int * 10 + 10)
  END AS price_band,
  CASE WHEN g % 25 = 0 THEN NULL ELSE point(g * 1.2 - 180, (g * 37) % 180 - 90) END AS location,
  CASE WHEN g % 5 = 0 THEN NULL
       WHEN g % 5 = 1 THEN B'101'::varbit
       WHEN g % 5 = 2 THEN ''::varbit
       ELSE (g % 256)::bit(8)::varbit
  END AS status_bits
FROM (
  SELECT
    g,
    (ARRAY['TOY', 'BOO', 'ELE', 'GAR', 'KIT', 'SPO'])[g % 6 + 1] || '-' || lpad(g::text, 4, '0') AS sku,
    (ARRAY['toys', 'books', 'electronics', 'garden', 'kitchen', 'sports'])[g % 6 + 1] AS category,
    CASE WHEN g % 50 = 0 THEN 'Gift card'
         ELSE (ARRAY['Small', 'Large', 'Deluxe', 'Crème brûlée', 'Eco', 'Pro', 'Mini'])[g % 7 + 1]
              || ' ' || (ARRAY['blocks', 'novel', 'charger', 'hose', 'torch', 'racket', 'kettle',
                                'lamp', 'puzzle', 'rake', 'pan'])[g % 11 + 1]
              || ' #' || g
    END AS name,
    CASE WHEN g = 1 THEN 0
         WHEN g = 2 THEN 9999999999.9999
         WHEN g = 3 THEN 0.0001
         ELSE ((g * 379) % 50000) / 100.0 + 0.99
    END::shop.money_amount AS price
  FROM generate_series(1, 300) AS g
) AS s
CROSS JOIN (
  SELECT decode(string_agg(lpad(to_hex(b), 2, '0'), '' ORDER BY b), 'hex') AS all_bytes
  FROM generate_series(0, 255) AS b
) AS b;

-- orders, partitioned by year ---------------------------------------------------------------------

CREATE TABLE shop.orders (
  order_id bigint NOT NULL,
  customer_id bigint NOT NULL REFERENCES shop.customers,
  status shop.order_status NOT NULL,
  placed_at timestamptz NOT NULL,
  shipped_at timestamptz,
  total shop.money_amount,
  note text,
  PRIMARY KEY (order_id, placed_at)
) PARTITION BY RANGE (placed_at);
COMMENT ON TABLE shop.orders IS 'Orders, one partition a year.';

CREATE TABLE shop.orders_2024 PARTITION OF shop.orders
  FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
CREATE TABLE shop.orders_2025 PARTITION OF shop.orders
  FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');
CREATE TABLE shop.orders_2026 PARTITION OF shop.orders
  FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');

INSERT INTO shop.orders (order_id, customer_id, status, placed_at, shipped_at, note)
SELECT
  o.order_id, o.customer_id, o.status, o.placed_at,
  CASE WHEN o.status IN ('shipped', 'delivered')
       THEN date_trunc('day', o.placed_at, 'UTC') + interval '50 hours'
  END AS shipped_at,
  o.note
FROM (
  SELECT
    100000 + g * 3 AS order_id,
    (g * 37) % 1100 + 1 AS customer_id,
    (CASE WHEN g % 23 = 0 THEN 'cancelled'
          WHEN g % 31 = 0 OR g > 5850 THEN 'pending'
          WHEN g % 37 = 0 OR g > 5700 THEN 'paid'
          WHEN g > 5200 THEN 'shipped'
          ELSE 'delivered'
     END)::shop.order_status AS status,
    -- every tenth order is placed at the very same instant as the one before it
    timestamptz '2024-01-01 00:00:00+00'
      + h * interval '4 hours 23 minutes' + (h % 1000) * interval '1 microsecond' AS placed_at,
    CASE WHEN g % 5 <> 0 THEN NULL
         ELSE (ARRAY[
                 E'Leave at the door\nRing twice',
                 E'tab\tseparated\tnote',
                 'He said "fragile"',
                 'C:\orders\box\',
                 'Gift 🎁 for mom',
                 'line' || chr(8232) || 'separator',
                 'ctrl' || chr(1) || 'char' || chr(31) || chr(127),
                 '',
                 'It''s {fine}, really; [ok]',
                 'Urgent',
                 'Urgent'
               ])[(g / 5) % 11 + 1]
    END AS note
  FROM generate_series(1, 6000) AS g
  CROSS JOIN LATERAL (SELECT g - CASE WHEN g % 10 = 0 THEN 1 ELSE 0 END AS h) AS adjusted
) AS o;

CREATE INDEX orders_placed_at_idx ON shop.orders (placed_at);
CREATE INDEX orders_status_placed_at_idx ON shop.orders (status, placed_at);
CREATE INDEX orders_customer_id_idx ON shop.orders (customer_id);

-- order lines -------------------------------------------------------------------------------------

-- no foreign key to shop.orders: its key is (order_id, placed_at), as partitioned tables require
CREATE TABLE shop.order_lines (
  order_id bigint NOT NULL,
  line_no smallint NOT NULL,
  sku shop.sku_code NOT NULL REFERENCES shop.products,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price numeric(12,2) NOT NULL,
  discount numeric,
  PRIMARY KEY (order_id, line_no)
);

INSERT INTO shop.order_lines
SELECT
  100000 + g * 3 AS order_id,
  n AS line_no,
  p.skus[(g * 7 + n * 13) % cardinality(p.skus) + 1] AS sku,
  CASE WHEN g % 499 = 0 THEN 1000 ELSE 1 + (g * n) % 5 END AS quantity,
  round(p.prices[(g * 7 + n * 13) % cardinality(p.prices) + 1], 2) AS unit_price,
  CASE WHEN (g + n) % 3 = 0 THEN NULL ELSE ((g + n) % 4) * 0.05 END AS discount
FROM generate_series(1, 6000) AS g
CROSS JOIN LATERAL generate_series(1, 1 + g % 4) AS n
CROSS JOIN (
  -- nobody buys the absurdly priced one
  SELECT array_agg(sku::text ORDER BY sku) AS skus, array_agg(price ORDER BY sku) AS prices
  FROM shop.products
  WHERE price < 100000
) AS p;

CREATE INDEX order_lines_sku_idx ON shop.order_lines (sku);

UPDATE shop.orders AS o
SET total = l.amount
FROM (
  SELECT order_id, sum(quantity * unit_price * (1 - coalesce(discount, 0))) AS amount
  FROM shop.order_lines
  GROUP BY order_id
) AS l
WHERE l.order_id = o.order_id AND o.status <> 'cancelled';

-- views -------------------------------------------------------------------------------------------

CREATE VIEW shop.order_summaries AS
SELECT o.order_id, o.placed_at, c.email AS customer_email, a.line_count, a.amount
FROM shop.orders AS o
JOIN shop.customers AS c ON c.customer_id = o.customer_id
CROSS JOIN LATERAL (
  SELECT count(*) AS line_count, sum(l.quantity * l.unit_price * (1 - coalesce(l.discount, 0))) AS amount
  FROM shop.order_lines AS l
  WHERE l.order_id = o.order_id
) AS a;

CREATE MATERIALIZED VIEW shop.daily_sales AS
SELECT date_trunc('day', placed_at, 'UTC') AS day, status, count(*) AS orders,
       coalesce(sum(total), 0) AS revenue
FROM shop.orders
GROUP BY 1, 2;

CREATE UNIQUE INDEX daily_sales_day_status_idx ON shop.daily_sales (day, status);

-- the quoted schema -------------------------------------------------------------------------------

CREATE TABLE "Sales Ω"."Region Targets" (
  "Region" text NOT NULL,
  "Quarter" smallint NOT NULL CHECK ("Quarter" BETWEEN 1 AND 4),
  "Target €" numeric,
  "Owner Email" text,
  "limit" integer, -- a spending limit, named like a request parameter: it cannot be filtered
  PRIMARY KEY ("Region", "Quarter")
);

INSERT INTO "Sales Ω"."Region Targets"
SELECT
  (ARRAY['North America', 'EMEA', 'APAC', 'LatAm', 'Nordics', 'DACH', 'Benelux', 'Île-de-France',
         'Kantō', 'Gulf', 'ANZ', 'Iberia', 'CEE'])[r] AS "Region",
  q AS "Quarter",
  CASE WHEN (r + q) % 9 = 0 THEN NULL ELSE r * 100000 + q * 12345.67 END AS "Target €",
  CASE WHEN (r * q) % 7 = 0 THEN NULL
       ELSE (ARRAY['ana@example.com', 'bo@example.com', 'zoë@example.com'])[(r + q) % 3 + 1]
  END AS "Owner Email",
  CASE WHEN r % 4 = 0 THEN NULL ELSE r * 1000 END AS "limit"
FROM generate_series(1, 13) AS r
CROSS JOIN generate_series(1, 4) AS q
WHERE NOT (r = 13 AND q > 2);

-- a table with no key at all ----------------------------------------------------------------------

CREATE TABLE shop.audit_events (
  happened_at timestamptz,
  actor text,
  action text,
  payload jsonb
);
CREATE INDEX audit_events_happened_at_idx ON shop.audit_events (happened_at);

INSERT INTO shop.audit_events
SELECT
  CASE WHEN g % 50 = 0 THEN NULL
       ELSE timestamptz '2025-03-01 00:00:00+00' + (g / 3) * interval '17 minutes'
  END AS happened_at,
  CASE WHEN g % 40 = 0 THEN NULL
       WHEN g % 4 = 0 THEN 'system'
       ELSE 'customer' || lpad(((g * 13) % 1200 + 1)::text, 4, '0') || '@example.com'
  END AS actor,
  (ARRAY['login', 'logout', 'order.create', 'order.cancel', 'product.update'])[g % 5 + 1] AS action,
  jsonb_build_object('ip', '10.0.' || (g % 7) || '.' || (g % 250), 'ok', g % 7 <> 0, 'n', g % 60)
    AS payload
FROM generate_series(1, 495) AS g;

-- five rows that are exact copies of others: nothing tells them apart
INSERT INTO shop.audit_events
SELECT * FROM shop.audit_events WHERE happened_at IS NOT NULL ORDER BY happened_at LIMIT 5;

-- planner statistics ------------------------------------------------------------------------------

ANALYZE shop.customers, shop.products, shop.orders, shop.order_lines, shop.audit_events,
  shop.daily_sales, "Sales Ω"."Region Targets";
