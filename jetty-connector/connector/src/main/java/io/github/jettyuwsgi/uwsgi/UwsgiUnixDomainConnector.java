package io.github.jettyuwsgi.uwsgi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Set;

import io.github.jettyuwsgi.uwsgi.internal.AcceptedConnections;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.annotation.ManagedAttribute;
import org.eclipse.jetty.util.annotation.ManagedObject;
import org.eclipse.jetty.util.annotation.Name;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Unix-domain socket connector with the socket hygiene operators expect from uWSGI and Jetty's
 * {@link UnixDomainServerConnector} lacks: a socket file left by a crashed process does not block the next start, and the
 * socket gets a configurable mode ({@code chmod-socket}, e.g. {@code 660} so nginx's group can connect) and owner
 * ({@code chown-socket}, e.g. {@code app:www-data}). Named for uwsgi frontends, it serves whatever connection factories
 * it is given: the launcher also runs its HTTP and stats sockets on it.
 *
 * <p>A socket file is removed before binding only when nothing accepts connections on it; a live socket of another
 * process is never taken over, and a path that is not a socket is never deleted.</p>
 *
 * <p>A connection accepted for the {@link UwsgiConnectionFactory} is served by the acceptor that accepted it, or by a
 * pool thread, before it is registered with a selector, as {@link UwsgiServerConnector} does over TCP (one acceptor per CPU,
 * 2 to 4, unless told otherwise); other protocols go through Jetty's selector.</p>
 */
@ManagedObject("uwsgi Unix-domain socket connector")
public class UwsgiUnixDomainConnector extends UnixDomainServerConnector
{
    private static final Logger LOG = LoggerFactory.getLogger(UwsgiUnixDomainConnector.class);

    private final AcceptedConnections accepted = new AcceptedConnections(this, this::onEndPointOpened, this::onEndPointClosed);
    private String socketMode;
    private String socketOwner;

    public UwsgiUnixDomainConnector(@Name("server") Server server, @Name("factories") ConnectionFactory... factories)
    {
        this(server, -1, -1, factories);
    }

    public UwsgiUnixDomainConnector(@Name("server") Server server, @Name("acceptors") int acceptors, @Name("selectors") int selectors, @Name("factories") ConnectionFactory... factories)
    {
        super(server, acceptors < 0 ? UwsgiServerConnector.defaultAcceptors() : acceptors, selectors, factories);
    }

    @ManagedAttribute("The permission bits applied to the socket file after bind, octal like chmod (e.g. 660), or null for the umask's")
    public String getSocketMode()
    {
        return socketMode;
    }

    /**
     * @param socketMode three octal digits as for chmod, e.g. {@code "660"}; null leaves the umask's choice
     */
    public void setSocketMode(String socketMode)
    {
        if (socketMode != null)
            toPermissions(socketMode);
        this.socketMode = socketMode;
    }

    @ManagedAttribute("The owner applied to the socket file after bind, USER[:GROUP] as for chown, or null to leave it")
    public String getSocketOwner()
    {
        return socketOwner;
    }

    /**
     * @param socketOwner {@code USER}, {@code USER:GROUP} or {@code :GROUP}, names or numeric ids, as uWSGI's
     * {@code chown-socket}; null leaves the owner of the process that binds. Checked at start, when the names are looked
     * up.
     */
    public void setSocketOwner(String socketOwner)
    {
        if (socketOwner != null && (socketOwner.isBlank() || socketOwner.equals(":") || socketOwner.indexOf(':') != socketOwner.lastIndexOf(':')))
            throw new IllegalArgumentException("socket owner: '" + socketOwner + "' (expected: USER, USER:GROUP or :GROUP)");
        this.socketOwner = socketOwner;
    }

    @Override
    protected void doStart() throws Exception
    {
        Path path = getUnixDomainPath();
        accepted.start();
        // An inherited socket's file belongs to the service manager that bound it (systemd's SocketMode= and
        // SocketUser= set its mode and owner): it is neither removed nor changed here.
        if (path != null && isInheritChannel())
        {
            super.doStart();
            return;
        }
        if (path != null)
            removeStaleSocket(path);
        super.doStart();
        if (path != null && socketMode != null)
            Files.setPosixFilePermissions(path, toPermissions(socketMode));
        if (path != null && socketOwner != null)
            chown(path, socketOwner);
    }

    @Override
    protected void accept(int acceptorID) throws IOException
    {
        if (!accepted.isDirect())
        {
            super.accept(acceptorID);
            return;
        }
        accepted.accept(acceptorID, getTransport(), this::configure);
    }

    /**
     * Leaves an acceptor that is serving a connection alone: the interrupt would reach the application running on it.
     */
    @Override
    protected void interruptAcceptors()
    {
        accepted.interruptAcceptors(super::interruptAcceptors);
    }

    @Override
    protected void doStop() throws Exception
    {
        Path path = getUnixDomainPath();
        if (path == null || !isInheritChannel())
        {
            super.doStop();
            return;
        }
        // Jetty's connector deletes its socket file when it stops; an inherited one must stay, since the next process
        // the service manager starts inherits the same socket and the frontend keeps connecting to that path. The
        // connector is pointed at a name that is never created for the time of the stop.
        setUnixDomainPath(path.resolveSibling(path.getFileName() + ".inherited-" + ProcessHandle.current().pid()));
        try
        {
            super.doStop();
        }
        finally
        {
            setUnixDomainPath(path);
        }
    }

    /**
     * A stop that drains closes the listening channel first, as Jetty's {@code ServerConnector} is closed before its
     * graceful shutdown: the acceptor then ends quietly. Interrupting an acceptor blocked in {@code accept} instead, as
     * a shutdown alone does, can lose a connection the kernel handed over at that moment.
     */
    @Override
    protected boolean handleAcceptFailure(Throwable failure)
    {
        if (getTransport() instanceof ServerSocketChannel channel && !channel.isOpen())
            return false;
        return super.handleAcceptFailure(failure);
    }

    private static void chown(Path path, String owner) throws IOException
    {
        int colon = owner.indexOf(':');
        String user = colon < 0 ? owner : owner.substring(0, colon);
        String group = colon < 0 ? "" : owner.substring(colon + 1);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try
        {
            // the JDK's lookup takes a name, or a number when no such name exists, as chown(1) does
            if (!user.isEmpty())
                view.setOwner(lookup.lookupPrincipalByName(user));
            if (!group.isEmpty())
                view.setGroup(lookup.lookupPrincipalByGroupName(group));
        }
        catch (UserPrincipalNotFoundException x)
        {
            throw new IOException("socket owner: no such " + (x.getName().equals(user) ? "user" : "group") + " '" + x.getName() +
                "' for " + path + " (expected: a name or id known to this system)", x);
        }
        catch (FileSystemException x)
        {
            throw new IOException("socket owner: cannot chown " + path + " to " + owner + ": " + x.getReason() + " (expected: the launcher running as root, or as the owner and a member of the group)", x);
        }
    }

    private static void removeStaleSocket(Path path) throws IOException
    {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            return;
        if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther())
            throw new IOException("unix socket path: " + path + " exists and is not a socket (expected: a free path or a stale socket)");
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("unix socket path: " + path + " is in use by another process (expected: a free path or a stale socket)");
        }
        catch (ConnectException stale)
        {
            LOG.info("uwsgi: removing stale socket {} left by a previous process", path);
            Files.deleteIfExists(path);
        }
    }

    static Set<PosixFilePermission> toPermissions(String mode)
    {
        if (!mode.matches("[0-7]{3}"))
            throw new IllegalArgumentException("socket mode: '" + mode + "' (expected: three octal digits, e.g. 660)");
        StringBuilder rwx = new StringBuilder(9);
        for (char digit : mode.toCharArray())
        {
            int bits = digit - '0';
            rwx.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }
}
