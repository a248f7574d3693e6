#!/usr/bin/env bash
# Builds the project and serves the request-echo WAR over uwsgi and over HTTP:
#   uwsgi TCP    127.0.0.1:3031        (point nginx uwsgi_pass here)
#   uwsgi Unix   target/demo/app.sock  (mode 660)
#   HTTP         127.0.0.1:8080        (try: curl 'http://127.0.0.1:8080/echo/hello?x=1')
# Stop it with Ctrl-C (a graceful stop).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests package
mkdir -p target/demo
echo_war=$(ls war-examples/echo-war/target/jetty-uwsgi-echo-war-*.war)
streaming_war=$(ls war-examples/streaming-war/target/jetty-uwsgi-streaming-war-*.war)
echo "demo: serving war-examples/echo-war at /echo and war-examples/streaming-war at /stream"
echo "demo: uwsgi on 127.0.0.1:3031 and unix:target/demo/app.sock, HTTP on http://127.0.0.1:8080/echo/"
exec java -jar launcher/dist/target/jetty-uwsgi/jetty-uwsgi-launcher.jar \
  --socket 127.0.0.1:3031 \
  --socket "$PWD/target/demo/app.sock" --chmod-socket 660 \
  --http-socket 127.0.0.1:8080 \
  --mount "/echo=$echo_war" \
  --mount "/stream=$streaming_war"
