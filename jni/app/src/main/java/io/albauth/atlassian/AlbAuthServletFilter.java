package io.albauth.atlassian;

import io.albauth.servlet.AlbAuthFilter;
import java.io.IOException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;

/**
 * The servlet-filter module ({@code location="before-login"}, {@code /*}, REQUEST and FORWARD):
 * hands requests to the app's core {@link AlbAuthFilter}, except those bound for the product's
 * own login ({@link NativeLogin}: {@code auth_fallback}, {@code native_login}, recovery mode),
 * which pass untouched.
 */
public class AlbAuthServletFilter implements Filter {
    private final AlbAuthApp app;
    private final NativeLogin nativeLogin;

    public AlbAuthServletFilter(AlbAuthApp app) {
        this.app = app;
        this.nativeLogin = new NativeLogin(app.productSupport().loginPaths());
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        app.filter().init(config);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req instanceof HttpServletRequest
                && nativeLogin.passes((HttpServletRequest) req, AlbAuthFilter.pathOf((HttpServletRequest) req))) {
            chain.doFilter(req, res);
            return;
        }
        app.filter().doFilter(req, res, chain);
    }

    @Override
    public void destroy() {
        app.filter().destroy();
    }
}
