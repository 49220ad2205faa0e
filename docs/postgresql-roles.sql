-- Roles for several workstations sharing one PostgreSQL database (see docs/operations.md).
--
-- The owner role (here the one that created the database) runs the first start and every schema
-- upgrade. The workstations sign in to the server as cc_app, which may read and write the
-- centre's records but may only ever add to the audit log: not change, delete or empty it, nor
-- switch off the trigger that refuses those (only a table's owner can).
--
-- Run as the owner, in the commandcenter database, after the first start has created the tables
-- and again after each upgrade. Set the password separately:  ALTER ROLE cc_app PASSWORD '...';

DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cc_app') THEN
    CREATE ROLE cc_app LOGIN;
  END IF;
END $$;

GRANT CONNECT ON DATABASE commandcenter TO cc_app;
GRANT USAGE ON SCHEMA public TO cc_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cc_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cc_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM cc_app;
-- The schema version is the owner's to change.
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM cc_app;
