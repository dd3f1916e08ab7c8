package io.albauth.atlassian.admin;

/**
 * The frame every admin page shares: head, skip link, the four-tab navigation and the script.
 * The product's admin decorator wraps it inside Jira/Confluence; standalone (the test host) it
 * is a complete page.
 */
final class PageLayout {
    /** The sub-pages, in navigation order: path suffix and title. */
    enum Tab {
        SETUP("", "Setup"),
        TEST("/test", "Test a login"),
        REFUSALS("/refusals", "Recent refusals"),
        SYNC("/sync", "Directory sync");

        final String suffix;
        final String title;

        Tab(String suffix, String title) {
            this.suffix = suffix;
            this.title = title;
        }
    }

    private PageLayout() {}

    /** The page: {@code base} is the admin page's path (".../plugins/servlet/albauth/admin"). */
    static String page(String base, Tab current, String title, String main) {
        return page(base, current, title, main, null);
    }

    /**
     * As above; with {@code refreshTo} (a path), the page reloads itself from there every 2
     * seconds ({@code <meta http-equiv="refresh">}: no script, whatever the page's CSP).
     */
    static String page(String base, Tab current, String title, String main, String refreshTo) {
        StringBuilder b = new StringBuilder(main.length() + 2048);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        if (refreshTo != null) {
            b.append("<meta http-equiv=\"refresh\" content=\"2; url=").append(Html.esc(refreshTo)).append("\">\n");
        }
        b
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"decorator\" content=\"atl.admin\">\n")
                .append("<title>").append(Html.esc(title)).append(" · albauth</title>\n")
                .append("<link rel=\"stylesheet\" href=\"").append(Html.esc(base)).append("/static/admin.css\">\n")
                .append("</head>\n<body class=\"albauth-admin\">\n")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
                .append("<header><p class=\"brand\">albauth: sign-in through the AWS load balancer</p>\n");
        if (current != null) {
            b.append("<nav aria-label=\"albauth admin\"><ul>\n");
            for (Tab t : Tab.values()) {
                b.append("<li><a href=\"").append(Html.esc(base + t.suffix)).append('"');
                if (t == current) {
                    b.append(" aria-current=\"page\"");
                }
                b.append('>').append(Html.esc(t.title)).append("</a></li>\n");
            }
            b.append("</ul></nav>\n");
        }
        b.append("</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>").append(Html.esc(title)).append("</h1>\n")
                .append(main)
                .append("</main>\n<script src=\"").append(Html.esc(base)).append("/static/admin.js\"></script>\n")
                .append("</body>\n</html>\n");
        return b.toString();
    }

    /** A page with one paragraph (403, errors): no navigation, nothing from the request. */
    static String message(String base, String title, String text) {
        return page(base, null, title, "<p role=\"alert\">" + Html.esc(text) + "</p>\n");
    }
}
