// HttpRequestParser line by line: every rule of its header comment as a table, good and bad.

using System.Text;
using NanoMailGateway.Core.Admin;
using Xunit;

namespace NanoMailGateway.Tests.Core.Admin
{
    public sealed class HttpRequestParserTests
    {
        private static int Parse(string head, HttpRequest r)
        {
            string[] lines = head.Split("\r\n");
            byte[] first = Encoding.Latin1.GetBytes(lines[0]);
            int s = HttpRequestParser.RequestLine(r, first, 0, first.Length);
            if (s != 0) return s;
            for (int i = 1; i < lines.Length; i++)
            {
                byte[] b = Encoding.Latin1.GetBytes(lines[i]);
                s = HttpRequestParser.FieldLine(r, b, 0, b.Length);
                if (s != 0) return s;
            }
            return HttpRequestParser.EndOfHead(r);
        }

        [Theory]
        [InlineData("GET / HTTP/1.1\r\nHost: gw", 0)]
        [InlineData("GET /metrics?x=1 HTTP/1.1\r\nHost: gw\r\nAccept:  */*  ", 0)]
        [InlineData("HEAD / HTTP/1.0", 0)]
        [InlineData("GET / HTTP/1.1", 400)]                                   // no Host (RFC 9112 §3.2)
        [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b", 400)]             // two Hosts
        [InlineData("GET / HTTP/2.0\r\nHost: gw", 505)]
        [InlineData("GET / HTTP/1.1x\r\nHost: gw", 400)]
        [InlineData("GET / http/1.1\r\nHost: gw", 400)]                       // version is case-sensitive
        [InlineData("get / HTTP/1.1\r\nHost: gw", 501)]                       // methods are case-sensitive
        [InlineData("BREW / HTTP/1.1\r\nHost: gw", 501)]
        [InlineData("G(T / HTTP/1.1\r\nHost: gw", 400)]                       // not a token
        [InlineData("GET  / HTTP/1.1\r\nHost: gw", 400)]                      // two spaces
        [InlineData("GET http://gw/ HTTP/1.1\r\nHost: gw", 400)]              // absolute-form: no proxy here
        [InlineData("GET /\u00e9 HTTP/1.1\r\nHost: gw", 400)]
        [InlineData("GET / HTTP/1.1\r\nHost : gw", 400)]                      // space before colon (RFC 9112 §5.1)
        [InlineData("GET / HTTP/1.1\r\nHost: gw\r\n folded", 400)]            // obs-fold (RFC 9112 §5.2)
        [InlineData("GET / HTTP/1.1\r\nHost: gw\r\nX: a\u0000b", 400)]        // NUL in a value
        [InlineData("GET / HTTP/1.1\r\nHost: gw\r\nno colon", 400)]
        [InlineData("GET / HTTP/1.1\r\nHost: gw\r\n: empty name", 400)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw", 411)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw\r\nContent-Length: 0", 0)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw\r\nContent-Length: 257\r\nContent-Type: application/x-www-form-urlencoded", 413)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw\r\nContent-Length: 99999999999999", 413)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\nContent-Type: text/plain", 415)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\nContent-Length: 6", 400)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw\r\nContent-Length: -1", 400)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked", 501)]
        [InlineData("POST /queue/retry HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nContent-Length: 5", 400)]
        [InlineData("GET / HTTP/1.1\r\nHost: gw\r\nContent-Length: 5", 400)]   // a body on GET
        public void RequestHeadsGetTheStatusTheRfcNames(string head, int status)
        {
            Assert.Equal(status, Parse(head, new HttpRequest()));
        }

        [Fact]
        public void ATargetOverTheLimitIs414()
        {
            Assert.Equal(0, Parse("GET /" + new string('a', HttpRequestParser.MaxTarget - 1) + " HTTP/1.1\r\nHost: gw", new HttpRequest()));
            Assert.Equal(414, Parse("GET /" + new string('a', HttpRequestParser.MaxTarget) + " HTTP/1.1\r\nHost: gw", new HttpRequest()));
        }

        [Fact]
        public void TheFieldsTheEndpointUsesAreKept()
        {
            var r = new HttpRequest();
            string auth = System.Convert.ToBase64String(Encoding.ASCII.GetBytes("postmaster:se:cret"));
            Assert.Equal(0, Parse("POST /queue/delete?id=1b HTTP/1.1\r\nhost: gw:8025\r\nAUTHORIZATION: Basic " + auth
                + "\r\nOrigin: http://gw:8025\r\nSec-Fetch-Site: same-origin\r\nX-Requested-By: nmg\r\nContent-Length: 3"
                + "\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8", r));
            Assert.Equal(HttpRequest.Post, r.Method);
            Assert.Equal("/queue/delete", r.Path);
            Assert.Equal("id=1b", r.Query);
            Assert.Equal("gw:8025", r.Host);
            Assert.Equal("postmaster", r.User);
            Assert.Equal("se:cret", r.Password);
            Assert.Equal("http://gw:8025", r.Origin);
            Assert.Equal("same-origin", r.FetchSite);
            Assert.True(r.HasActionHeader);
            Assert.Equal(3, r.ContentLength);
        }

        [Theory]
        [InlineData("Basic !!!notbase64")]
        [InlineData("Basic bm9jb2xvbg==")]    // "nocolon"
        [InlineData("Bearer abc")]
        public void MalformedCredentialsAreNoCredentials(string value)
        {
            var r = new HttpRequest();
            Assert.Equal(0, Parse("GET / HTTP/1.1\r\nHost: gw\r\nAuthorization: " + value, r));
            Assert.Null(r.User);
        }

        [Theory]
        [InlineData("token=abc&id=0000001b&bounce=yes", "id", "0000001b")]
        [InlineData("token=abc&id=0000001b&bounce=yes", "bounce", "yes")]
        [InlineData("a=%41%2f+b", "a", "A/ b")]
        [InlineData("idx=1", "id", null)]
        [InlineData("id=%4", "id", null)]
        [InlineData("", "id", null)]
        public void FormValuesArePercentDecoded(string form, string name, string? value)
        {
            Assert.Equal(value, HttpRequestParser.FormValue(form, name));
        }
    }
}
