#!/usr/bin/env bash
# Installs the system programs the end-to-end tests (src/it) and the load script (src/it/load) run against: nginx,
# Apache httpd with mod_proxy_uwsgi, lighttpd, uWSGI (core, JVM and JWSGI plugins) and wrk.
# Idempotent: a program already on PATH is left alone, and apt-get runs only when something is missing.
# Run as root (CI runs as root). Debian/Ubuntu only. apt-get waits up to 10 minutes for a dpkg lock another
# installation holds instead of failing at once.
set -euo pipefail

# One line per program: "<command to look for> <Debian package that provides it>".
REQUIRED=(
  "nginx nginx-light"
  "wrk wrk"
  # The load benchmark (benchmarks/load) counts syscalls per request with strace and compiles its C
  # null backend and load client with gcc.
  "strace strace"
  "gcc gcc"
  # The frontend matrix (src/it *FrontendIT): Apache httpd with mod_proxy_uwsgi (in apache2-bin), lighttpd (mod_scgi
  # is built in), and uWSGI whose core package carries the http and fastrouter router plugins.
  "apache2 apache2"
  "lighttpd lighttpd"
  "uwsgi uwsgi-core"
  # uWSGI's own JVM plugin (UwsgiJvmPluginIT); its package also brings /usr/share/java/uwsgi.jar.
  "uwsgi_jvm_openjdk17 uwsgi-plugin-jvm-openjdk-17"
  # A real browser for the WebSocket page test (src/it websocket.BrowserEchoIT): headless Chromium and its WebDriver.
  "chromium chromium"
  "chromedriver chromium-driver"
  # Socket activation and sd_notify (src/it restart.RestartIT, docs/systemd.md): systemd's stand-in for a socket unit,
  # the notify client the launcher runs, and python3 for the test's socket holder and notify receiver.
  "systemd-socket-activate systemd"
  "systemd-notify systemd"
  "python3 python3"
)

# nginx and apache2 live in /usr/sbin, which is not on every user's PATH.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

missing=()
for entry in "${REQUIRED[@]}"; do
  read -r command package <<<"$entry"
  if command -v "$command" >/dev/null 2>&1; then
    echo "install-system-deps: $command already installed ($(command -v "$command"))"
  else
    echo "install-system-deps: $command missing, will install Debian package $package"
    missing+=("$package")
  fi
done
# The JWSGI plugin (UwsgiJvmPluginIT) ships no command to look for, only its plugin file.
if [ ! -e /usr/lib/uwsgi/plugins/jwsgi_openjdk17_plugin.so ]; then
  echo "install-system-deps: uWSGI jwsgi plugin missing, will install Debian package uwsgi-plugin-jwsgi-openjdk-17"
  missing+=("uwsgi-plugin-jwsgi-openjdk-17")
fi
# uWSGI's C core with a Python hello is a target of the load benchmark (benchmarks/load).
if [ ! -e /usr/lib/uwsgi/plugins/python3_plugin.so ]; then
  echo "install-system-deps: uWSGI python3 plugin missing, will install Debian package uwsgi-plugin-python3"
  missing+=("uwsgi-plugin-python3")
fi
# PostgreSQL for the session-store tests (src/it PostgresCluster): Debian keeps initdb and pg_ctl out of PATH, in
# /usr/lib/postgresql/VERSION/bin. The package also creates the "postgres" system user the tests run the cluster as
# when they run as root; its own cluster and service are not used.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null 2>&1; then
  echo "install-system-deps: PostgreSQL server missing, will install Debian package postgresql"
  missing+=("postgresql")
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: nothing to install"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: must run as root to install: ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: apt-get not found; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-system-deps: apt-get update"
apt-get -o DPkg::Lock::Timeout=600 update -q
echo "install-system-deps: apt-get install -y --no-install-recommends ${missing[*]}"
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"

# The Debian nginx package starts a system nginx on port 80 where a service manager runs; the tests start their
# own nginx with a private configuration and never use that one.
for entry in "${REQUIRED[@]}"; do
  read -r command package <<<"$entry"
  command -v "$command" >/dev/null 2>&1 || { echo "install-system-deps: $command still missing after installing $package" >&2; exit 1; }
done
echo "install-system-deps: done"
