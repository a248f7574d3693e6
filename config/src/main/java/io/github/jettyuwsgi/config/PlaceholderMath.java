package io.github.jettyuwsgi.config;

import java.util.function.Function;

/**
 * Placeholder references and uWSGI's placeholder math ({@code uwsgi_manage_placeholder}, since 1.9.20): a key
 * without a space is looked up as is; a key with spaces is a left-to-right pipeline of space-separated tokens.
 * A token of digits is a number, {@code + - * /} set the operation for the next token, {@code ++}/{@code --}
 * increment or decrement the result so far, any other token is looked up (a missing one is empty). Two values with
 * no operator between them are concatenated: {@code %(a b)} with a=1, b=2 is {@code 12}. Numbers are 64-bit and
 * parsed like {@code strtoll} (leading digits; none is 0); division by zero gives 0.
 */
final class PlaceholderMath
{
    private enum Operation
    {
        CONCAT, SUM, SUB, MUL, DIV
    }

    private PlaceholderMath()
    {
    }

    /**
     * @param lookup the value of a placeholder or option (the first one set), or null when none is set
     * @return the result, or null when nothing could be computed (the reference then stays as written)
     */
    static String evaluate(String key, Function<String, String> lookup)
    {
        if (key.indexOf(' ') < 0)
            return lookup.apply(key);
        Operation operation = Operation.CONCAT;
        String current = null;
        for (String token : key.split(" "))
        {
            if (token.isEmpty())
                continue;
            String value;
            switch (token)
            {
                case "+" -> operation = Operation.SUM;
                case "-" -> operation = Operation.SUB;
                case "*" -> operation = Operation.MUL;
                case "/" -> operation = Operation.DIV;
                case "++", "--" ->
                {
                    if (current != null)
                        current = Long.toString(strtoll(current) + (token.equals("++") ? 1 : -1));
                    operation = Operation.CONCAT;
                }
                default ->
                {
                    if (isNumber(token))
                    {
                        value = token;
                    }
                    else
                    {
                        String found = lookup.apply(token);
                        value = found == null ? "" : found;
                    }
                    long a = current == null ? 0 : strtoll(current);
                    long b = strtoll(value);
                    current = switch (operation)
                    {
                        case CONCAT -> (current == null ? "" : current) + value;
                        case SUM -> Long.toString(a + b);
                        case SUB -> Long.toString(a - b);
                        case MUL -> Long.toString(a * b);
                        case DIV -> Long.toString(b == 0 ? 0 : a / b);
                    };
                    operation = Operation.CONCAT;
                }
            }
        }
        return current;
    }

    private static boolean isNumber(String token)
    {
        for (int i = 0; i < token.length(); i++)
        {
            if (token.charAt(i) < '0' || token.charAt(i) > '9')
                return false;
        }
        return true;
    }

    /**
     * C's {@code strtoll(s, NULL, 10)}: optional leading white space and sign, then as many digits as there are;
     * saturates on overflow.
     */
    static long strtoll(String s)
    {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i)))
            i++;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-'))
            negative = s.charAt(i++) == '-';
        long result = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++)
        {
            int digit = s.charAt(i) - '0';
            if (result > (Long.MAX_VALUE - digit) / 10)
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            result = result * 10 + digit;
        }
        return negative ? -result : result;
    }
}
