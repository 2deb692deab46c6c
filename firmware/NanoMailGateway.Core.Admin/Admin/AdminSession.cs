// One connection to the admin endpoint: one request, one response, then close
// ("Connection: close", RFC 9112 §9.6). The steps:
//   1. a client outside trusted_networks gets 403 before anything is read;
//   2. the request head is read line by line in the input buffer, each line capped at
//      the buffer (a longer request line 414, a longer field line 431, RFC 6585 §5), at
//      most HttpRequestParser.MaxHeaderLines field lines (431), all within
//      RequestTimeoutMs (408, RFC 9110 §15.5.9); HttpRequestParser checks every line;
//   3. a POST's body (at most MaxBody octets) follows in the same buffer;
//   4. Basic authentication as the postmaster (401 with WWW-Authenticate, after a pause
//      when a wrong password came);
//   5. the route: GET/HEAD of /, /metrics and /queue; POST of /queue/retry,
//      /queue/delete, /queue/hold and /queue/release, which must come from the page (its
//      form token) or carry X-Requested-By (a header no cross-site form can send), and
//      must not name another Origin or a cross-site Sec-Fetch-Site (403): no state
//      changes on GET;
//   6. after the response, what the client still sends is read and dropped for LingerMs,
//      so that closing does not reset the connection under an unread answer.
// Errors are values until the one place that writes them; a broken connection just ends
// the session; a failed queue answers 500 and is logged.
// Left out on purpose: keep-alive, pipelining, chunked bodies, Expect: 100-continue.

using System;
using System.Threading;
using NanoMailGateway.Core.Lines;
using NanoMailGateway.Core.Listener;
using NanoMailGateway.Core.Platform;
using NanoMailGateway.Core.Queue;
using NanoMailGateway.Core.Text;

namespace NanoMailGateway.Core.Admin
{
    /// <summary>One admin request on a listener slot.</summary>
    internal sealed class AdminSession : ISession
    {
        private const int Closed = -1;

        private readonly AdminServer _server;
        private readonly IConnection _conn;
        private readonly byte[][] _buffers;
        private readonly byte[] _in;
        private readonly int _id;
        private readonly HttpRequest _request = new HttpRequest();
        private readonly LineChannel _lines;
        private long _deadline;

        internal AdminSession(AdminServer server, IConnection connection, byte[][] buffers, int id)
        {
            _server = server;
            _conn = connection;
            _buffers = buffers;
            _in = buffers[0];
            _id = id;
            // The channel frames the request; the response goes out through
            // HttpResponseWriter over the second buffer, so the channel's own output stays
            // empty (it never sends anything).
            _lines = new LineChannel(connection, buffers[0], buffers[1], server.Clock, server.Options.SendTimeoutMs);
        }

        public void Run()
        {
            HttpResponseWriter w = new HttpResponseWriter(_conn, _buffers[1], _server.Options.SendTimeoutMs);
            try
            {
                if (!_server.IsTrusted(_conn.RemoteAddress))
                {
                    Log("refused " + _conn.RemoteAddress + ": not in trusted_networks");
                    Error(w, HttpStatus.Forbidden, "");
                }
                else
                {
                    _deadline = _server.Clock.MonotonicMilliseconds + _server.Options.RequestTimeoutMs;
                    int status = ReadRequest();
                    if (status == Closed) return;
                    if (status != 0) Error(w, status, "");
                    else Respond(w);
                    Log(Method() + " " + _request.Path + " " + w.Status.ToString() + " from " + _conn.RemoteAddress);
                }
                w.Flush();
                Linger();
            }
            catch (ConnectionException)
            {
                // The client went away; nothing to answer.
            }
            catch (StorageException e)
            {
                Log("queue error: " + e.Message);
                TryError(w, HttpStatus.InternalError);
            }
            catch (Exception e)
            {
                Log("bug: " + e.GetType().FullName + ": " + e.Message);
                TryError(w, HttpStatus.InternalError);
            }
            finally
            {
                _conn.Close();
                _server.Gateway.Pool.ReturnSet(_buffers);
            }
        }

        public void Abort()
        {
            _conn.Close();
        }

        // ---- reading ----------------------------------------------------------------------

        private int ReadRequest()
        {
            bool first = true;
            while (true)
            {
                int len = NextLine(out int at);
                if (len < 0) return len == Closed ? Closed : -len;
                if (first)
                {
                    if (len == 0) continue;  // RFC 9112 §2.2: an empty line before the request line is ignored
                    int s = HttpRequestParser.RequestLine(_request, _in, at, len);
                    if (s != 0) return s;
                    first = false;
                    continue;
                }
                if (len == 0) break;
                if (_request.HeaderLines >= HttpRequestParser.MaxHeaderLines) return HttpStatus.HeaderFieldsTooLarge;
                int f = HttpRequestParser.FieldLine(_request, _in, at, len);
                if (f != 0) return f;
            }
            int e = HttpRequestParser.EndOfHead(_request);
            if (e != 0) return e;
            if (_request.ContentLength > 0) return ReadBody((int)_request.ContentLength);
            return 0;
        }

        // The next line without its CRLF (a bare LF ends a line too, RFC 9112 §2.2), at
        // _in[at], its length returned; or -status / Closed. A line longer than the buffer
        // is drained to its LF and then answered (414 for the request line, 431 for a field
        // line), all within the request's deadline.
        private int NextLine(out int at)
        {
            LineResult r = _lines.ReadLine(_in.Length, _server.Options.RequestTimeoutMs, _deadline);
            at = _lines.LineStart;
            if (r == LineResult.Line) return _lines.LineLength;
            if (r == LineResult.TooLong) return -(_request.Method == 0 ? HttpStatus.UriTooLong : HttpStatus.HeaderFieldsTooLarge);
            if (r == LineResult.Closed) return Closed;
            return -HttpStatus.RequestTimeout;
        }

        // A POST's body of Content-Length octets (at most MaxBody, so it fits the buffer behind
        // the head), taken from the same buffer as the lines.
        private int ReadBody(int length)
        {
            while (_lines.Available < length)
            {
                long left = _deadline - _server.Clock.MonotonicMilliseconds;
                if (left <= 0) return -HttpStatus.RequestTimeout;
                int got = _lines.Receive((int)left);
                if (got == ConnectionResult.Closed) return Closed;
                if (got == ConnectionResult.TimedOut) return -HttpStatus.RequestTimeout;
            }
            _request.Body = Ascii.GetString(_in, _lines.Start, length);
            _lines.Consume(length);
            return 0;
        }

        private void Linger()
        {
            long until = _server.Clock.MonotonicMilliseconds + _server.Options.LingerMs;
            while (true)
            {
                long left = until - _server.Clock.MonotonicMilliseconds;
                if (left <= 0) return;
                if (_conn.Receive(_in, 0, _in.Length, (int)left) <= 0) return;
            }
        }

        // ---- answering --------------------------------------------------------------------

        private void Respond(HttpResponseWriter w)
        {
            HttpRequest r = _request;
            if (r.User == null || !_server.Verify(r.User, r.Password))
            {
                if (r.User != null)
                {
                    // The gateway's throttle (AuthThrottle): the pause grows per address across
                    // requests and protocols, so the endpoint is no side door for guessing.
                    int delay = _server.Gateway.Throttle.Fail(_conn.RemoteAddress, 1);
                    Log("authentication failed for " + r.User + " from " + _conn.RemoteAddress + ", delayed " + delay.ToString() + " ms");
                    if (delay > 0) Thread.Sleep(delay);
                }
                Error(w, HttpStatus.Unauthorized, "WWW-Authenticate: Basic realm=\"nmg\", charset=\"UTF-8\"\r\n");
                return;
            }
            _server.Gateway.Throttle.Succeed(_conn.RemoteAddress);
            bool read = r.Method == HttpRequest.Get || r.Method == HttpRequest.Head;
            bool head = r.Method == HttpRequest.Head;
            string path = r.Path;
            if (path == "/" || path == "/metrics" || path == "/queue")
            {
                if (!read)
                {
                    Error(w, HttpStatus.MethodNotAllowed, "Allow: GET, HEAD\r\n");
                    return;
                }
                if (path == "/")
                {
                    w.Begin(HttpStatus.Ok, "text/html; charset=utf-8", "", head);
                    StatusPage.Write(w, _server);
                }
                else if (path == "/metrics")
                {
                    w.Begin(HttpStatus.Ok, MetricsPage.ContentType, "", head);
                    MetricsPage.Write(w, _server);
                }
                else
                {
                    w.Begin(HttpStatus.Ok, "text/plain; charset=utf-8", "", head);
                    QueueListing.Write(w, _server.Gateway.Store, _server.Clock.UtcNow);
                }
                return;
            }
            if (path == "/queue/retry" || path == "/queue/delete" || path == "/queue/hold" || path == "/queue/release")
            {
                if (r.Method != HttpRequest.Post)
                {
                    Error(w, HttpStatus.MethodNotAllowed, "Allow: POST\r\n");
                    return;
                }
                Action(w, path.Substring(7));
                return;
            }
            Error(w, HttpStatus.NotFound, "");
        }

        private void Action(HttpResponseWriter w, string action)
        {
            HttpRequest r = _request;
            string? token = HttpRequestParser.FormValue(r.Body, "token");
            bool fromPage = token != null && token == _server.Token;
            bool crossSite = (r.Origin != null && r.Origin != "http://" + r.Host)
                || (r.FetchSite != null && r.FetchSite != "same-origin" && r.FetchSite != "none");
            if (crossSite || !(fromPage || r.HasActionHeader))
            {
                Log("refused " + _request.Path + " from " + _conn.RemoteAddress + ": no form token or X-Requested-By, or another origin");
                Error(w, HttpStatus.Forbidden, "");
                return;
            }
            string? id = HttpRequestParser.FormValue(r.Body, "id");
            if (id == null) id = HttpRequestParser.FormValue(r.Query, "id");
            int n;
            string done;
            if (action == "delete")
            {
                string? bounce = HttpRequestParser.FormValue(r.Body, "bounce");
                if (bounce == null) bounce = HttpRequestParser.FormValue(r.Query, "bounce");
                if (id == null || (bounce != "yes" && bounce != "no"))
                {
                    Error(w, HttpStatus.BadRequest, "");
                    return;
                }
                n = _server.Control.Delete(id, bounce == "yes");
                done = "deleted " + (n < 0 ? "0" : n.ToString()) + " recipient(s)" + (bounce == "yes" ? ", report to the sender" : "");
            }
            else
            {
                // retry, hold, release: one message by id, or every message without one
                if (action == "retry") n = _server.Control.Retry(id);
                else if (action == "hold") n = _server.Control.Hold(id);
                else n = _server.Control.Release(id);
                done = (action == "retry" ? "retried " : action == "hold" ? "held " : "released ") + (n < 0 ? "0" : n.ToString()) + " recipient(s)";
            }
            if (n == QueueControl.NotFound) { Error(w, HttpStatus.NotFound, ""); return; }
            if (fromPage)
            {
                // Post/Redirect/Get: the browser shows the page again, and a reload repeats nothing.
                w.Begin(HttpStatus.SeeOther, "text/plain; charset=utf-8", "Location: /\r\n", false);
            }
            else
            {
                w.Begin(HttpStatus.Ok, "text/plain; charset=utf-8", "", false);
            }
            w.Write(done);
            w.Write("\n");
        }

        private static void Error(HttpResponseWriter w, int status, string extra)
        {
            w.Begin(status, "text/plain; charset=utf-8", extra, false);
            w.WriteNumber(status);
            w.Write(" ");
            w.Write(HttpStatus.Reason(status));
            w.Write("\n");
        }

        private void TryError(HttpResponseWriter w, int status)
        {
            try
            {
                if (w.Status == 0)
                {
                    Error(w, status, "");
                    w.Flush();
                }
            }
            catch (Exception)
            {
                // Nothing more to tell a client that cannot be written to.
            }
        }

        private string Method()
        {
            switch (_request.Method)
            {
                case HttpRequest.Get: return "GET";
                case HttpRequest.Head: return "HEAD";
                case HttpRequest.Post: return "POST";
                default: return "-";
            }
        }

        private void Log(string text)
        {
            _server.Log.Write("httpd", _id, text);
        }
    }
}
