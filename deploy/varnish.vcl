vcl 4.1;
# Varnish in front of Comptoir's web processes: a stand-in for a CDN (and a production option).
#
# - Only anonymous GET/HEAD requests without a session or messages cookie are looked up; the
#   other cookies (csrftoken, analytics) are dropped for the lookup, so the app's
#   "Vary: Cookie" matches the one shared variant. A session cookie (signed in, or a cart)
#   always goes to the app: a signed-in visitor never gets a shared copy.
# - The app decides what may be stored and for how long (Cache-Control: public, s-maxage=N on
#   shared pages; private elsewhere); Varnish obeys it.
# - PURGE (sent by wagtail.contrib.frontend_cache's HTTPBackend after a change, setting
#   FRONTEND_CACHE_PURGE_URL) from an allowed address bans the path with every query string
#   (on every host: over-purging another site's same path is harmless).
#
# The backend address is set at start-up (varnishd -b host:port is not compatible with -f,
# so the test and the README substitute BACKEND_HOST / BACKEND_PORT).

backend default {
    .host = "BACKEND_HOST";
    .port = "BACKEND_PORT";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        ban("req.url ~ ^" + regsub(req.url, "\?.*$", "") + "(\?|$)");
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Store only what the app marks public; never a response that sets a cookie.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}
