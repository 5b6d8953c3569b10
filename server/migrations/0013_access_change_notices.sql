-- Live connections hear of access changes at once (server/src/collab/README.md rule A6).
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

-- Every change that can end or narrow someone's access sends a notice on channel `tessera_access`:
-- `user:<id>` for a user's account, sessions, tokens and memberships, `set:<id>` for an image set's
-- visibility, team or kind. PostgreSQL delivers notices only when the transaction commits (and a
-- transaction's identical notices once), so a listener that then checks access reads the new state.
-- Every server listens (server/src/collab/access-notices.ts) and checks the open connections the
-- notice names; its periodic sweep catches anything a lost connection to PostgreSQL missed. Triggers,
-- not calls in the services, so that every path (the API, the command line, SQL by hand) notifies.

CREATE FUNCTION tessera_notify_user_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('tessera_access', 'user:' || OLD.id);
  ELSE
    PERFORM pg_notify('tessera_access', 'user:' || OLD.user_id);
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION tessera_notify_set_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tessera_access', 'set:' || OLD.id);
  RETURN NULL;
END;
$$;

-- Deactivation, a superuser losing the role, a password change (its credentials_version bump).
CREATE TRIGGER users_access_notice AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active
     OR OLD.is_superuser IS DISTINCT FROM NEW.is_superuser
     OR OLD.credentials_version IS DISTINCT FROM NEW.credentials_version)
  EXECUTE FUNCTION tessera_notify_user_access();

-- Sign-out, sessions ended by a password change or deactivation. Expired sessions removed by
-- housekeeping were already refused by the sweep.
CREATE TRIGGER sessions_access_notice AFTER DELETE ON sessions FOR EACH ROW
  WHEN (OLD.expires_at > now())
  EXECUTE FUNCTION tessera_notify_user_access();

-- Revoked tokens (a password change revokes them all); not their last use, recorded once a minute.
CREATE TRIGGER tokens_access_notice AFTER UPDATE ON personal_access_tokens FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at)
  EXECUTE FUNCTION tessera_notify_user_access();
CREATE TRIGGER tokens_removed_access_notice AFTER DELETE ON personal_access_tokens FOR EACH ROW
  EXECUTE FUNCTION tessera_notify_user_access();

-- Leaving a team (also when the team is deleted) and losing the team admin role.
CREATE TRIGGER memberships_access_notice AFTER UPDATE ON team_memberships FOR EACH ROW
  WHEN (OLD.is_admin IS DISTINCT FROM NEW.is_admin
     OR OLD.team_id IS DISTINCT FROM NEW.team_id
     OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION tessera_notify_user_access();
CREATE TRIGGER memberships_removed_access_notice AFTER DELETE ON team_memberships FOR EACH ROW
  EXECUTE FUNCTION tessera_notify_user_access();

-- A set made private, moved to another team or switched to blind annotation; a set deleted.
CREATE TRIGGER image_sets_access_notice AFTER UPDATE ON image_sets FOR EACH ROW
  WHEN (OLD.public IS DISTINCT FROM NEW.public
     OR OLD.team_id IS DISTINCT FROM NEW.team_id
     OR OLD.collaboration_type IS DISTINCT FROM NEW.collaboration_type)
  EXECUTE FUNCTION tessera_notify_set_access();
CREATE TRIGGER image_sets_removed_access_notice AFTER DELETE ON image_sets FOR EACH ROW
  EXECUTE FUNCTION tessera_notify_set_access();
