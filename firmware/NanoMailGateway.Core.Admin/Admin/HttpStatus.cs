// The HTTP status codes the admin endpoint answers with (RFC 9110 §15), and their
// reason phrases. A switch instead of a table: a static table would be heap from boot on
// the board (ARCHITECTURE.md, Memory).

namespace NanoMailGateway.Core.Admin
{
    /// <summary>Status codes used by the admin endpoint.</summary>
    public static class HttpStatus
    {
        public const int Ok = 200;
        public const int SeeOther = 303;
        public const int BadRequest = 400;
        public const int Unauthorized = 401;
        public const int Forbidden = 403;
        public const int NotFound = 404;
        public const int MethodNotAllowed = 405;
        public const int RequestTimeout = 408;
        public const int LengthRequired = 411;
        public const int ContentTooLarge = 413;
        public const int UriTooLong = 414;
        public const int UnsupportedMediaType = 415;
        public const int HeaderFieldsTooLarge = 431;
        public const int InternalError = 500;
        public const int NotImplemented = 501;
        public const int ServiceUnavailable = 503;
        public const int VersionNotSupported = 505;

        /// <summary>The reason phrase of <paramref name="status"/> (RFC 9110 §15; RFC 6585 §5 for 431).</summary>
        public static string Reason(int status)
        {
            switch (status)
            {
                case Ok: return "OK";
                case SeeOther: return "See Other";
                case BadRequest: return "Bad Request";
                case Unauthorized: return "Unauthorized";
                case Forbidden: return "Forbidden";
                case NotFound: return "Not Found";
                case MethodNotAllowed: return "Method Not Allowed";
                case RequestTimeout: return "Request Timeout";
                case LengthRequired: return "Length Required";
                case ContentTooLarge: return "Content Too Large";
                case UriTooLong: return "URI Too Long";
                case UnsupportedMediaType: return "Unsupported Media Type";
                case HeaderFieldsTooLarge: return "Request Header Fields Too Large";
                case NotImplemented: return "Not Implemented";
                case ServiceUnavailable: return "Service Unavailable";
                case VersionNotSupported: return "HTTP Version Not Supported";
                default: return "Internal Server Error";
            }
        }
    }
}
