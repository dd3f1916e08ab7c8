package io.albauth.atlassian.admin;

/**
 * HTML escaping for every value the admin pages print. One function serves text and quoted
 * attribute values alike (it escapes both quote characters), so no call site has to choose.
 */
public final class Html {
    private Html() {}

    /** {@code s} safe inside element text and inside a double- or single-quoted attribute; null is "". */
    public static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                case '`' -> "&#96;";
                default -> (c < 0x20 && c != '\n' && c != '\t' && c != '\r') ? "&#xfffd;" : null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * JSON embedded in a {@code <script type="application/json">} element: {@code <}, {@code >}
     * and {@code &} become \\u escapes, so no value can close the element.
     */
    public static String scriptJson(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /** At most {@code max} characters, with an ellipsis when cut (for names quoted in messages). */
    public static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
