package io.github.jettyuwsgi.launcher.session;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.session.FileSessionDataStore;
import org.eclipse.jetty.session.FileSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;
import org.eclipse.jetty.session.UnwriteableSessionDataException;

/**
 * The data store of {@code session-store = file:DIR}: Jetty's {@link FileSessionDataStore}, same files, made right
 * for a directory that several instances share. Jetty's store finds a session's file through a map it fills from the
 * directory once, when it starts, and then only with its own writes: a session another instance created later is
 * unknown to it, and its own older file of a session shadows the newer one another instance wrote. Here every load,
 * existence check and expiry search reads the directory itself.
 *
 * <p>A write goes to a hidden temporary file that is then renamed to the session's file name, so that another
 * instance reads either the old session or the new one, never half a file (Jetty deletes the old file first and then
 * writes the new one, which leaves a moment with no session at all). The files of the session older than the one
 * just written are removed after it, so two instances writing one session at once leave the later write.</p>
 *
 * <p>File names are Jetty's, {@code EXPIRY_CONTEXT_ID}, read from both ends, because the session ids of the default
 * worker names contain {@code _} themselves.</p>
 */
final class SharedFileSessionDataStore extends FileSessionDataStore
{
    private static final String TEMPORARY_PREFIX = ".session-";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Pattern EXPIRY = Pattern.compile("-?[0-9]+");

    @Override
    public SessionData doLoad(String id) throws Exception
    {
        // the file found can be replaced by another instance's newer one before it is opened: look again
        for (int attempt = 0; attempt < 3; attempt++)
        {
            refresh(id);
            String name = _sessionFileMap.get(getIdWithContext(id));
            if (name == null)
                return null;
            SessionData data = super.doLoad(id);
            if (data != null || Files.exists(_storeDir.toPath().resolve(name)))
                return data;
        }
        return null;
    }

    @Override
    public boolean doExists(String id) throws Exception
    {
        refresh(id);
        return super.doExists(id);
    }

    @Override
    public Set<String> doCheckExpired(Set<String> candidates, long time)
    {
        for (String id : candidates)
        {
            try
            {
                refresh(id);
            }
            catch (IOException x)
            {
                // the candidate is then checked against what this instance knew of it
            }
        }
        return super.doCheckExpired(candidates, time);
    }

    @Override
    public Set<String> doGetExpired(long timeLimit)
    {
        Set<String> expired = new HashSet<>();
        Pattern ours = Pattern.compile("(-?[0-9]+)_" + Pattern.quote(_contextString) + "_(.+)");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(_storeDir.toPath()))
        {
            for (Path file : files)
            {
                Matcher name = ours.matcher(file.getFileName().toString());
                if (name.matches())
                {
                    long expiry = Long.parseLong(name.group(1));
                    if (expiry > 0 && expiry <= timeLimit)
                        expired.add(name.group(2));
                }
            }
        }
        catch (IOException | NumberFormatException x)
        {
            // the next scavenge looks again
        }
        return expired;
    }

    @Override
    public void doCleanOrphans(long time)
    {
        super.doCleanOrphans(time);
        // a temporary file outlives its write only when the instance died in the middle of it
        long old = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(_storeDir.toPath(), TEMPORARY_PREFIX + "*" + TEMPORARY_SUFFIX))
        {
            for (Path file : files)
            {
                if (Files.getLastModifiedTime(file).toMillis() < old)
                    Files.deleteIfExists(file);
            }
        }
        catch (IOException x)
        {
            // the next scavenge looks again
        }
    }

    @Override
    public boolean delete(String id) throws Exception
    {
        _sessionFileMap.remove(getIdWithContext(id));
        boolean deleted = false;
        for (Path file : filesOf(id))
        {
            deleted |= Files.deleteIfExists(file);
        }
        return deleted;
    }

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception
    {
        Path directory = _storeDir.toPath();
        String name = getIdWithContextAndExpiry(data);
        Path target = directory.resolve(name);
        Path temporary = Files.createTempFile(directory, TEMPORARY_PREFIX, TEMPORARY_SUFFIX);
        try
        {
            try (OutputStream out = Files.newOutputStream(temporary))
            {
                save(out, id, data);
            }
            try
            {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException x)
            {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (Exception x)
        {
            try
            {
                Files.deleteIfExists(temporary);
            }
            catch (IOException suppressed)
            {
                x.addSuppressed(suppressed);
            }
            throw new UnwriteableSessionDataException(id, _context, x);
        }
        _sessionFileMap.put(getIdWithContext(id), name);
        FileTime written = Files.getLastModifiedTime(target);
        for (Path file : filesOf(id))
        {
            // a file written after this one is another instance's later write, which stays
            if (!file.equals(target) && lastModified(file).compareTo(written) <= 0)
                Files.deleteIfExists(file);
        }
    }

    /**
     * Points Jetty's map at the session's newest file on disk, or removes it when there is none.
     */
    private void refresh(String id) throws IOException
    {
        String key = getIdWithContext(id);
        Path newest = null;
        FileTime newestModified = null;
        for (Path file : filesOf(id))
        {
            FileTime modified = lastModified(file);
            int order = newest == null ? 1 : modified.compareTo(newestModified);
            if (order > 0 || order == 0 && expiryOf(file) > expiryOf(newest))
            {
                newest = file;
                newestModified = modified;
            }
        }
        if (newest == null)
            _sessionFileMap.remove(key);
        else
            _sessionFileMap.put(key, newest.getFileName().toString());
    }

    /**
     * @return the files of this session in this context: {@code EXPIRY_CONTEXT_ID}, whatever the expiry
     */
    private List<Path> filesOf(String id) throws IOException
    {
        String suffix = "_" + getIdWithContext(id);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(_storeDir.toPath(), file ->
        {
            String name = file.getFileName().toString();
            return name.endsWith(suffix) && EXPIRY.matcher(name.substring(0, name.length() - suffix.length())).matches();
        }))
        {
            stream.forEach(files::add);
        }
        return files;
    }

    /**
     * @return when the file was written; the earliest time if it is gone already
     */
    private static FileTime lastModified(Path file)
    {
        try
        {
            return Files.getLastModifiedTime(file);
        }
        catch (IOException x)
        {
            return FileTime.fromMillis(Long.MIN_VALUE);
        }
    }

    private static long expiryOf(Path file)
    {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('_')));
    }

    /**
     * Makes a {@link SharedFileSessionDataStore} per context, configured as Jetty's factory configures its stores.
     */
    static final class Factory extends FileSessionDataStoreFactory
    {
        @Override
        public SessionDataStore getSessionDataStore(SessionManager manager)
        {
            SharedFileSessionDataStore store = new SharedFileSessionDataStore();
            store.setStoreDir(getStoreDir());
            store.setDeleteUnrestorableFiles(isDeleteUnrestorableFiles());
            store.setGracePeriodSec(getGracePeriodSec());
            store.setSavePeriodSec(getSavePeriodSec());
            return store;
        }
    }
}
