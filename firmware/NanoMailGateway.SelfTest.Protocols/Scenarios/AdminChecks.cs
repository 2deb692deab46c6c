// Scenario: the HTTP admin endpoint (Core/Admin, README "Admin endpoint") of the composed
// gateway, one request per connection over the in-memory network, on the device build:
// - GET /metrics as the postmaster with Basic authentication (RFC 7617) is 200 and the
//   Prometheus text counts the queue's messages (nmg_queue_messages);
// - a wrong password is 401 with WWW-Authenticate (RFC 9110 §11.6.1);
// - HttpRequestParser's refusals, each with the status RFC 9110/9112 names: no Host 400
//   (RFC 9112 §3.2), obs-fold 400 (§5.2), an unknown method 501 (RFC 9110 §9.1),
//   HTTP/2.0 in a request line 505, a request target over 255 octets 414 (RFC 9110
//   §15.5.15), Transfer-Encoding 501 (RFC 9112 §6.1), POST without Content-Length 411, a
//   body over 256 octets 413;
// - POST /queue/hold changes the queue only with X-Requested-By or the page's form token
//   (403 without: no cross-site form can hold mail), and then holds the recipient
//   (RecipientState.Held) of a deferred message.
// Left out on purpose: the status page's HTML, the other queue actions (host tests in
// tests/NanoMailGateway.Tests/Core/Admin and EndToEnd).

using NanoMailGateway.Core.Queue;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Admin endpoint checks on a running <see cref="ProtocolGateway"/>.</summary>
    public sealed class AdminChecks
    {
        private const string Host = "Host: 192.0.2.1:8025\r\n";
        // postmaster:admin-secret and postmaster:wrong (RFC 7617 §2: base64 of user ":" password).
        private const string Auth = "Authorization: Basic cG9zdG1hc3RlcjphZG1pbi1zZWNyZXQ=\r\n";
        private const string WrongAuth = "Authorization: Basic cG9zdG1hc3Rlcjp3cm9uZw==\r\n";
        private const string Client = "192.0.2.20";

        private readonly ProtocolGateway _g;
        private readonly string _deferred;

        private AdminChecks(ProtocolGateway g, string deferredQueueId)
        {
            _g = g;
            _deferred = deferredQueueId;
        }

        /// <summary>Registers and runs the checks; <paramref name="deferredQueueId"/> is a message whose one recipient is deferred.</summary>
        public static void Run(SelfTestRunner r, ProtocolGateway g, string deferredQueueId)
        {
            AdminChecks c = new AdminChecks(g, deferredQueueId);
            r.Run("admin.metrics-200", new Check(c.Metrics));
            r.Run("admin.wrong-password-401", new Check(c.WrongPassword));
            r.Run("admin.no-host-400", new Check(c.NoHost));
            r.Run("admin.obs-fold-400", new Check(c.ObsFold));
            r.Run("admin.unknown-method-501", new Check(c.UnknownMethod));
            r.Run("admin.http2-505", new Check(c.Http2));
            r.Run("admin.long-target-414", new Check(c.LongTarget));
            r.Run("admin.transfer-encoding-501", new Check(c.TransferEncoding));
            r.Run("admin.post-without-length-411", new Check(c.NoLength));
            r.Run("admin.body-over-256-413", new Check(c.BodyTooLarge));
            r.Run("admin.hold-without-token-403", new Check(c.HoldWithoutToken));
            r.Run("admin.hold-with-x-requested-by-200", new Check(c.HoldWithHeader));
        }

        /// <summary>Sends <paramref name="request"/>, expects <paramref name="status"/> and reads the rest of the response.</summary>
        private void Status(string request, int status, string what)
        {
            AdminClient c = _g.Request(request, Client, out int got);
            Expect.Equal(status, got, what + ": status");
            c.Drain();
            c.Close();
        }

        private void Metrics()
        {
            AdminClient c = _g.Request("GET /metrics HTTP/1.1\r\n" + Host + Auth + "\r\n", Client, out int status);
            Expect.Equal(200, status, "GET /metrics");
            c.ReadHead("");
            // The sample line, after its HELP and TYPE lines (Prometheus text format).
            Expect.True(c.Find("\nnmg_queue_messages "), "no nmg_queue_messages sample in /metrics");
            Expect.Equal(_g.Gateway.QueueCount, c.Number(), "nmg_queue_messages");
            c.Drain();
            c.Close();
        }

        private void WrongPassword()
        {
            AdminClient c = _g.Request("GET / HTTP/1.1\r\n" + Host + WrongAuth + "\r\n", "192.0.2.21", out int status);
            Expect.Equal(401, status, "wrong password");
            Expect.True(c.ReadHead("WWW-Authenticate: Basic "), "401 without WWW-Authenticate: Basic");
            c.Drain();
            c.Close();
        }

        private void NoHost()
        {
            Status("GET / HTTP/1.1\r\n" + Auth + "\r\n", 400, "HTTP/1.1 without Host");
        }

        private void ObsFold()
        {
            Status("GET / HTTP/1.1\r\n" + Host + "X-Note: first\r\n second\r\n" + Auth + "\r\n", 400, "obs-fold");
        }

        private void UnknownMethod()
        {
            Status("PATCH / HTTP/1.1\r\n" + Host + Auth + "\r\n", 501, "PATCH");
        }

        private void Http2()
        {
            Status("GET / HTTP/2.0\r\n" + Host + Auth + "\r\n", 505, "HTTP/2.0 request line");
        }

        private void LongTarget()
        {
            Status("GET /" + new string('a', 300) + " HTTP/1.1\r\n" + Host + Auth + "\r\n", 414, "300-octet target");
        }

        private void TransferEncoding()
        {
            Status("POST /queue/hold HTTP/1.1\r\n" + Host + Auth + "X-Requested-By: nmg\r\nTransfer-Encoding: chunked\r\n\r\n", 501, "Transfer-Encoding");
        }

        private void NoLength()
        {
            Status("POST /queue/hold HTTP/1.1\r\n" + Host + Auth + "X-Requested-By: nmg\r\n\r\n", 411, "POST without Content-Length");
        }

        private void BodyTooLarge()
        {
            Status("POST /queue/hold HTTP/1.1\r\n" + Host + Auth + "X-Requested-By: nmg\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 257\r\n\r\n", 413, "257-octet body");
        }

        private void HoldWithoutToken()
        {
            Status("POST /queue/hold?id=" + _deferred + " HTTP/1.1\r\n" + Host + Auth + "Content-Length: 0\r\n\r\n", 403, "hold without token or X-Requested-By");
            Expect.Equal((int)RecipientState.Deferred, (int)StateOf(), "recipient state after a refused hold");
        }

        private void HoldWithHeader()
        {
            AdminClient c = _g.Request("POST /queue/hold?id=" + _deferred + " HTTP/1.1\r\n" + Host + Auth
                + "X-Requested-By: nmg\r\nContent-Length: 0\r\n\r\n", Client, out int status);
            Expect.Equal(200, status, "hold with X-Requested-By");
            c.ReadHead("");
            Expect.True(c.Find("held 1 recipient(s)"), "the response does not say 'held 1 recipient(s)'");
            c.Drain();
            c.Close();
            Expect.Equal((int)RecipientState.Held, (int)StateOf(), "recipient state after the hold");
        }

        private RecipientState StateOf()
        {
            QueuedMessage? m = _g.Gateway.Store.Find(_deferred);
            if (m == null) Expect.Fail("message " + _deferred + " left the queue");
            return m!.GetStatus(0).State;
        }
    }
}
