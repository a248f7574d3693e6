# jetty-uwsgi @project.version@: see docs/jetty-module.md in the jetty-uwsgi project.

[description]
Enables a uwsgi protocol connector on TCP, for nginx (uwsgi_pass), Apache (mod_proxy_uwsgi), lighttpd and uWSGI routers.
The connector sits below every environment: it serves the ee10 and ee11 webapps of this base alike.
The frontend's vars are trusted (REMOTE_ADDR, HTTPS), so it binds 127.0.0.1 unless told otherwise.

[tags]
connector
uwsgi

[depend]
server

[lib]
lib/uwsgi/jetty-uwsgi-connector-@project.version@.jar

[xml]
etc/jetty-uwsgi.xml

[ini-template]
### uwsgi Connector Configuration (TCP)

## The host/address to bind to. Only the frontend may connect: whoever can send a uwsgi packet chooses the
## remote address and HTTPS the webapps see. Keep loopback, or a private address behind a firewall.
# jetty.uwsgi.host=127.0.0.1

## Frontend trust, for a frontend on another host (docs/reliability.md#frontend-trust in the jetty-uwsgi project):
## the var every packet must carry, NAME=VALUE (nginx: uwsgi_param NAME VALUE;), answered 403 without it...
# jetty.uwsgi.frontendSecret=
## ...and the addresses frontends may connect from, CIDR blocks or addresses separated by commas; others are closed.
## Unlike the launcher, the module does not refuse a non-loopback host without them: set one when you change the host.
# jetty.uwsgi.allowFrontends=

## The port the connector listens on (uWSGI's customary 3031).
# jetty.uwsgi.port=3031

## The connector idle timeout, in milliseconds.
# jetty.uwsgi.idleTimeout=30000

## The number of acceptors (-1: one per CPU, 2 to 4, or 1 on a single CPU; an acceptor serves the connection it accepted while another waits to accept).
# jetty.uwsgi.acceptors=-1

## The number of selectors (-1 picks a default value based on number of cores).
# jetty.uwsgi.selectors=-1

## The largest uwsgi vars block accepted, in bytes (uWSGI's buffer-size; 512 to 65535).
## Shared with the uwsgi-unixdomain module.
# jetty.uwsgi.bufferSize=65535
