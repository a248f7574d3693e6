# jetty-uwsgi @project.version@: see docs/jetty-module.md in the jetty-uwsgi project.

[description]
Enables a uwsgi protocol connector on a Unix-domain socket, for nginx (uwsgi_pass unix:...) and other uwsgi frontends.
The socket gets a mode after bind (660 by default, so the frontend's group can connect), and a socket file left by a
crashed Jetty is replaced. Like the uwsgi module it serves the ee10 and ee11 webapps of this base alike; the two
modules can be enabled together.

[tags]
connector
uwsgi
unixdomain

[depend]
server

[lib]
lib/uwsgi/jetty-uwsgi-connector-@project.version@.jar
lib/jetty-unixdomain-server-${jetty.version}.jar

[xml]
etc/jetty-uwsgi-unixdomain.xml

[ini-template]
### uwsgi Connector Configuration (Unix-domain socket)

## The socket path (at most 107 bytes). Put it in a directory only Jetty's user and the frontend's group can enter.
# jetty.uwsgi.path=/tmp/jetty-uwsgi.sock

## The mode of the socket file, three octal digits as for chmod (uWSGI's chmod-socket).
# jetty.uwsgi.mode=660

## The following are shared with the uwsgi module (TCP) when both are enabled.

## The connector idle timeout, in milliseconds.
# jetty.uwsgi.idleTimeout=30000

## The number of acceptors (-1: one per CPU, 2 to 4, or 1 on a single CPU; an acceptor serves the connection it accepted while another waits to accept).
# jetty.uwsgi.acceptors=-1

## The number of selectors (-1 picks a default value based on number of cores).
# jetty.uwsgi.selectors=-1

## The largest uwsgi vars block accepted, in bytes (uWSGI's buffer-size; 512 to 65535).
# jetty.uwsgi.bufferSize=65535
