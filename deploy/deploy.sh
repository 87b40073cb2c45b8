#!/usr/bin/env bash
# deploy/deploy.sh: put the current checkout into production, or undo the last deploy.
#   deploy.sh [deploy]   build a new release, smoke-test it, back up config and databases, switch
#                        `current`, restart, wait for health; roll back by itself if health fails
#   deploy.sh rollback   switch `current` to the release before it, restart, wait for health
# Settings (environment, defaults for the layout of docs/deploy.md):
#   SOGOMS_PREFIX=/opt/sogoms        releases/<stamp>/ and the `current` symlink
#   SOGOMS_CONFIG=/etc/sogoms        the config root (kept outside the releases)
#   SOGOMS_SOURCE=<this checkout>    what is deployed
#   SOGOMS_BACKUP_DIR=/var/backups/sogoms   one folder per deploy: config.tar.gz, <app>.sql.gz
#   SOGOMS_BACKUP_DAYS=14            backup folders older than this are deleted
#   SOGOMS_KEEP_RELEASES=5           older release folders are deleted
#   SOGOMS_BUILD='npm ci --no-audit --no-fund && npm run build'      run inside the new release
#   SOGOMS_SMOKE='node node_modules/vitest/vitest.mjs run libs/config test/deploy-systemd.e2e.spec.ts'
#   SOGOMS_RESTART='systemctl restart sogoms'
#   SOGOMS_HEALTH_URL=http://127.0.0.1:8080/health/ready   SOGOMS_HEALTH_TIMEOUT_S=60
set -euo pipefail

PREFIX=${SOGOMS_PREFIX:-/opt/sogoms}
CONFIG=${SOGOMS_CONFIG:-/etc/sogoms}
SOURCE=${SOGOMS_SOURCE:-$(cd "$(dirname "$0")/.." && pwd)}
BACKUP_DIR=${SOGOMS_BACKUP_DIR:-/var/backups/sogoms}
BACKUP_DAYS=${SOGOMS_BACKUP_DAYS:-14}
KEEP_RELEASES=${SOGOMS_KEEP_RELEASES:-5}
BUILD=${SOGOMS_BUILD:-npm ci --no-audit --no-fund && npm run build}
SMOKE=${SOGOMS_SMOKE:-node node_modules/vitest/vitest.mjs run libs/config test/deploy-systemd.e2e.spec.ts}
RESTART=${SOGOMS_RESTART:-systemctl restart sogoms}
HEALTH_URL=${SOGOMS_HEALTH_URL:-http://127.0.0.1:8080/health/ready}
HEALTH_TIMEOUT_S=${SOGOMS_HEALTH_TIMEOUT_S:-60}

say() { echo "deploy: $*"; }
die() { echo "deploy: $*" >&2; exit 1; }

healthy() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT_S))
  while [ $SECONDS -lt $deadline ]; do
    if node -e "require('node:http').get(process.argv[1], (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" "$HEALTH_URL"; then
      return 0
    fi
    sleep 1
  done
  return 1
}

# Atomic: a new link beside the old one, renamed over it.
point_current_at() {
  ln -sfn "$1" "$PREFIX/current.next"
  mv -T "$PREFIX/current.next" "$PREFIX/current"
}

restart_and_wait() {
  say "restarting ($RESTART)"
  bash -c "$RESTART"
  healthy
}

# Each MariaDB app's connection, read with the release's own config loader (so _file and _env
# values count): "app host port user database", the password on the next line.
app_databases() {
  node --input-type=module -e "
    const { loadAppConfigs } = await import(process.argv[1] + '/dist/libs/config/src/index.js');
    for (const app of loadAppConfigs(process.argv[2])) {
      const d = app.database;
      if (d.driver !== 'mariadb') continue;
      console.log([app.name, d.host, d.port, d.user, d.name].join(' '));
      console.log(d.password);
    }" "$1" "$CONFIG"
}

backup() {
  local release=$1 folder
  folder="$BACKUP_DIR/$(date -u +%Y%m%dT%H%M%SZ)-$$"
  mkdir -p "$folder"
  chmod 700 "$BACKUP_DIR" "$folder"
  tar -C "$(dirname "$CONFIG")" -czf "$folder/config.tar.gz" "$(basename "$CONFIG")"
  local name host port user database password
  while read -r name host port user database && read -r password; do
    # A first install: the db service creates the database at its first start.
    if [ -z "$(MYSQL_PWD=$password mariadb --protocol=tcp -h "$host" -P "$port" -u "$user" -N \
      -e "SHOW DATABASES LIKE '$database'")" ]; then
      say "no database $database for $name yet: nothing to back up"
      continue
    fi
    MYSQL_PWD=$password mariadb-dump --protocol=tcp -h "$host" -P "$port" -u "$user" \
      --single-transaction --routines --triggers --databases "$database" | gzip > "$folder/$name.sql.gz"
    say "backed up $name ($database) to $folder/$name.sql.gz"
  done < <(app_databases "$release")
  find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime "+$BACKUP_DAYS" -exec rm -rf {} +
}

releases() { find "$PREFIX/releases" -mindepth 1 -maxdepth 1 -type d | sort; }

deploy() {
  mkdir -p "$PREFIX/releases"
  local release previous=""
  release="$PREFIX/releases/$(date -u +%Y%m%dT%H%M%SZ)-$$"
  [ -L "$PREFIX/current" ] && previous=$(readlink -f "$PREFIX/current")
  mkdir -p "$release"
  say "building $release from $SOURCE"
  tar -C "$SOURCE" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./run \
    --exclude=./logs --exclude=./var -cf - . | tar -C "$release" -xf -
  if ! (cd "$release" && bash -c "$BUILD"); then
    rm -rf "$release"
    die "the build failed; nothing changed"
  fi
  if ! (cd "$release" && bash -c "$SMOKE"); then
    rm -rf "$release"
    die "the smoke tests failed; nothing changed"
  fi
  backup "$release"
  point_current_at "$release"
  say "current -> $release"
  if restart_and_wait; then
    say "healthy: $HEALTH_URL"
    releases | head -n "-$KEEP_RELEASES" | while read -r old; do
      [ "$old" = "$previous" ] || rm -rf "$old"
    done
    return 0
  fi
  [ -n "$previous" ] || die "not healthy after the deploy, and there is no earlier release to go back to"
  say "not healthy within ${HEALTH_TIMEOUT_S}s: rolling back to $previous"
  point_current_at "$previous"
  restart_and_wait || die "rolled back to $previous, but it is not healthy either"
  mv "$release" "$release.failed"
  die "rolled back to $previous (healthy); the failed release is $release.failed"
}

rollback() {
  [ -L "$PREFIX/current" ] || die "no current release under $PREFIX"
  local current previous
  current=$(readlink -f "$PREFIX/current")
  previous=$(releases | grep -v '\.failed$' | awk -v c="$current" '$0 == c { print prev; exit } { prev = $0 }')
  [ -n "$previous" ] || die "no release before $current"
  point_current_at "$previous"
  say "current -> $previous"
  restart_and_wait || die "rolled back to $previous, but it is not healthy"
  say "healthy: $HEALTH_URL"
}

case "${1:-deploy}" in
  deploy) deploy ;;
  rollback) rollback ;;
  *) die "usage: deploy.sh [deploy|rollback]" ;;
esac
