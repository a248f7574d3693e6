package io.github.jettyuwsgi.config;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code for}/{@code endfor} and the {@code if-*} blocks. Each row is one block of l1.ini; the expected
 * {@code print} values are what {@code FOO=bar uwsgi --ini l1.ini --show-config} printed with uWSGI 2.0.21, in a
 * directory holding {@code somefile.txt}, {@code somedir/} and {@code lines.txt} ("line1\nline2\n"), on host "vm".
 * An empty expectation means the block added nothing.
 */
class LogicTest
{
    @TempDir
    Path temp;

    private List<String> prints(String... block)
    {
        ConfigFixture fixture = new ConfigFixture(temp).env("FOO", "bar")
            .file("somefile.txt", "hello\n").file("somedir/.keep", "").file("lines.txt", "line1\nline2\n")
            .file("l.ini", "[uwsgi]\nmyopt = 3\n" + String.join("\n", block) + "\n");
        return fixture.load("--ini", "l.ini").getAll("print");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "for = a b  c/print = for1 %(_)/print = for2 %(_)/endfor = | for1 a;for1 b;for1 c;for2 a;for2 b;for2 c",
        "if-env = FOO/print = foo is %(_)/endif | foo is bar",
        "if-env = FOO=bar/print = foo is bar/end | foo is bar",
        "if-env = FOO=baz/print = foo is baz/endif | ''",
        "if-not-env = FOO/print = no foo/endif | ''",
        "if-not-env = NOPE/print = no NOPE %(_)/endif | no NOPE %(_)",
        "if-exists = somefile.txt/print = exists %(_)/endif | exists somefile.txt",
        "if-not-exists = nofile/print = not exists %(_)/endif | not exists nofile",
        "if-file = somedir/print = somedir is file/endif | ''",
        "if-dir = somedir/print = somedir is dir %(_)/endif | somedir is dir somedir",
        "if-file = somefile.txt/print = file %(_)/endif | file somefile.txt",
        "if-not-file = somedir/print = not file %(_)/endif | not file somedir",
        "if-not-dir = somefile.txt/print = not dir %(_)/endif | not dir somefile.txt",
        "if-opt = myopt/print = myopt set %(_)/endif | myopt set 3",
        "if-opt = myopt=3/print = myopt is 3/endif | myopt is 3",
        "if-opt = myopt=4/print = myopt is 4/endif | ''",
        "if-not-opt = myopt=4/print = myopt not 4/endif | myopt not 4",
        "if-not-opt = later/print = later not set yet/endif/later = 1 | later not set yet",
        "for-times = 3/print = times %(_)/end-for | times 1;times 2;times 3",
        "for-readline = lines.txt/print = rl %(_)/endfor | rl line1;rl line2",
        "if-hostname = vm/print = host vm/endif | host vm"
    })
    void block(String block, String expected)
    {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(";"));
        assertEquals(want, prints(block.split("/")));
    }

    @Test
    void blockLinesAndTerminatorsAppearInShowConfig()
    {
        // uwsgi --show-config of l1.ini: "if-env = FOO=baz" then "endif = " with nothing between
        ConfigFixture fixture = new ConfigFixture(temp).env("FOO", "bar")
            .file("l.ini", "[uwsgi]\nif-env = FOO=baz\nprint = foo is baz\nendif\n");
        String shown = fixture.load("--ini", "l.ini").showConfig();
        assertTrue(shown.contains("\nif-env = FOO=baz\nendif = \n"), shown);
    }

    @Test
    void nestedBlocksAreAnError()
    {
        // uWSGI: "recursive logic in options is not supported (option = if-env)"
        ConfigFixture fixture = new ConfigFixture(temp).env("FOO", "bar")
            .file("l.ini", "[uwsgi]\nif-env = FOO\nif-env = FOO\nprint = x\nendif\nendif\n");
        ConfigException error = assertThrows(ConfigException.class, () -> fixture.load("--ini", "l.ini"));
        assertTrue(error.getMessage().startsWith("l.ini:3: if-env: logic blocks cannot be nested"), error.getMessage());
    }

    @Test
    void ifReloadFollowsTheHostFacts()
    {
        ConfigFixture fixture = new ConfigFixture(temp).file("l.ini", "[uwsgi]\nif-reload =\nprint = reloaded\nendif\nif-not-reload =\nprint = first\nendif\n");
        assertEquals(List.of("first"), fixture.load("--ini", "l.ini").getAll("print"));
        fixture.reload = true;
        assertEquals(List.of("reloaded"), fixture.load("--ini", "l.ini").getAll("print"));
    }
}
