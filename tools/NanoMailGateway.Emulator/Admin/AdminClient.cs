// The client side of the gateway's admin endpoint (README, "Admin endpoint"), for the nmg
// verbs that act on a running gateway, a board or `nmg run` alike (`nmg queue`, `nmg
// status`). Every request carries Basic authentication as the postmaster (RFC 7617) and
// every POST the X-Requested-By header the endpoint requires of clients that are not its
// own page. An answer is turned into one outcome with its sysexits code here, so each
// verb only prints:
//   200, 303  ok (0)                      401, 403  EX_NOPERM (77)
//   404       EX_NOINPUT (66): no such message, the endpoint's own answer to an unknown id
//   503       EX_TEMPFAIL (75): the board had no buffers for the request, try again
//   other     EX_PROTOCOL (76)            no connection, timeout  EX_UNAVAILABLE (69)

using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using NanoMailGateway.Emulator.Cli;

namespace NanoMailGateway.Emulator.Admin
{
    /// <summary>Talks to one gateway's admin endpoint.</summary>
    public sealed class AdminClient
    {
        private readonly Uri _base;
        private readonly string _authorization;
        private readonly TimeSpan _timeout;

        /// <param name="gateway">"http://host:port" or "host:port".</param>
        public AdminClient(Uri gateway, string user, string password, TimeSpan timeout)
        {
            _base = gateway;
            _authorization = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
            _timeout = timeout;
        }

        /// <summary>The endpoint's address.</summary>
        public Uri Gateway => _base;

        /// <summary>The endpoint's address from a --gateway value, or null when it is not one ("host:port" gets http://).</summary>
        public static Uri? ParseGateway(string value)
        {
            string v = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
            if (!Uri.TryCreate(v, UriKind.Absolute, out Uri? uri) || uri.Scheme != "http") return null;
            if (uri.AbsolutePath != "/" || uri.Query.Length > 0) return null;
            return uri;
        }

        /// <summary>GET of <paramref name="path"/>.</summary>
        public AdminAnswer Get(string path)
        {
            return Send(new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path)));
        }

        /// <summary>POST of <paramref name="path"/> with the form fields <paramref name="form"/>.</summary>
        public AdminAnswer Post(string path, IEnumerable<KeyValuePair<string, string>> form)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Requested-By", "nmg");
            return Send(request);
        }

        private AdminAnswer Send(HttpRequestMessage request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _authorization);
            // No redirects followed and no proxy from the environment: the answer is the gateway's own.
            using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseProxy = false };
            using var http = new HttpClient(handler) { Timeout = _timeout };
            HttpResponseMessage response;
            string body;
            try
            {
                response = http.Send(request);
                using var reader = new System.IO.StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
                body = reader.ReadToEnd();
            }
            catch (HttpRequestException e)
            {
                return new AdminAnswer(ExitCodes.Unavailable, "", "cannot reach the gateway at " + _base + ": " + e.Message);
            }
            catch (TaskCanceledException)
            {
                return new AdminAnswer(ExitCodes.Unavailable, "", "no answer from the gateway at " + _base + " within " + _timeout.TotalSeconds + " s");
            }
            int status = (int)response.StatusCode;
            string line = body.Trim().Split('\n')[0];
            switch (status)
            {
                case 200:
                case 303:
                    return new AdminAnswer(ExitCodes.Ok, body, "");
                case 401:
                    return new AdminAnswer(ExitCodes.NoPerm, body, "the gateway refused the password (401)");
                case 403:
                    return new AdminAnswer(ExitCodes.NoPerm, body, "the gateway refused this client (403: not in trusted_networks, or the request was not accepted as an action)");
                case 404:
                    return new AdminAnswer(ExitCodes.NoInput, body, "not found (404): " + line);
                case 503:
                    return new AdminAnswer(ExitCodes.TempFail, body, "the gateway is busy (503), try again");
                default:
                    return new AdminAnswer(ExitCodes.Protocol, body, "unexpected answer " + status + ": " + line);
            }
        }
    }
}
