// One HTTP/1.1 request to the admin endpoint as HttpRequestParser leaves it: the parts
// of the request line and the few header fields the endpoint acts on. Every other field
// is checked for syntax and dropped, so a request costs a handful of short strings
// whatever the client sends (a browser sends a dozen fields nobody here needs).
// Left out on purpose: a general header table, cookies, Range, conditional requests.

namespace NanoMailGateway.Core.Admin
{
    /// <summary>The parsed parts of one request. Not thread-safe; one per session.</summary>
    public sealed class HttpRequest
    {
        /// <summary>Method codes (RFC 9110 §9.3).</summary>
        public const int Get = 1;
        public const int Head = 2;
        public const int Post = 3;

        /// <summary><see cref="Get"/>, <see cref="Head"/> or <see cref="Post"/>.</summary>
        public int Method { get; set; }

        /// <summary>The path of the origin-form target ("/metrics"), without the query.</summary>
        public string Path { get; set; } = "";

        /// <summary>The query after '?' (empty when none), still percent-encoded.</summary>
        public string Query { get; set; } = "";

        /// <summary>HTTP/1.1 (true) or HTTP/1.0.</summary>
        public bool Http11 { get; set; }

        /// <summary>How many Host fields arrived (RFC 9112 §3.2: exactly one in HTTP/1.1).</summary>
        public int HostCount { get; set; }

        /// <summary>The Host field's value.</summary>
        public string Host { get; set; } = "";

        /// <summary>The Origin field's value, or null when absent (RFC 6454 §7).</summary>
        public string? Origin { get; set; }

        /// <summary>The Sec-Fetch-Site field's value, or null (Fetch Metadata: "same-origin", "cross-site", ...).</summary>
        public string? FetchSite { get; set; }

        /// <summary>True when the request carries X-Requested-By, which no cross-site form can send.</summary>
        public bool HasActionHeader { get; set; }

        /// <summary>Content-Length, or -1 when absent.</summary>
        public long ContentLength { get; set; } = -1;

        /// <summary>True when a Transfer-Encoding field arrived.</summary>
        public bool HasTransferEncoding { get; set; }

        /// <summary>The Content-Type field, or null.</summary>
        public string? ContentType { get; set; }

        /// <summary>User and password from "Authorization: Basic" (RFC 7617), or null when absent or malformed.</summary>
        public string? User { get; set; }

        /// <summary>The password that came with <see cref="User"/>.</summary>
        public string Password { get; set; } = "";

        /// <summary>The form body of a POST (application/x-www-form-urlencoded), empty when none.</summary>
        public string Body { get; set; } = "";

        /// <summary>Header lines seen so far.</summary>
        public int HeaderLines { get; set; }
    }
}
