// The binding for a service URL: net.tcp:// gets NetTcpBinding (SecurityMode.None), http:// gets
// BasicHttpBinding (SOAP 1.1, no security). `pooled: false` turns off connection reuse the way a WCF app
// would: for net.tcp, TcpConnectionPoolSettings.MaxOutboundConnectionsPerEndpoint = 0 (a cleanly closed
// session's connection is not returned to the idle pool: its pool holds at most 0); for HTTP,
// KeepAliveEnabled = false (Connection: close on every request).
using System.ServiceModel;
using System.ServiceModel.Channels;

public static class Endpoints
{
    public static bool Supports(string url) =>
        url.StartsWith("net.tcp://", StringComparison.Ordinal) || url.StartsWith("http://", StringComparison.Ordinal);

    public static string Kind(string url) => url.StartsWith("http://", StringComparison.Ordinal) ? "basic-http" : "net.tcp";

    public static Binding Create(string url, bool pooled, TimeSpan openTimeout, TimeSpan callTimeout, TimeSpan? receiveTimeout = null)
    {
        Binding binding;
        if (Kind(url) == "basic-http")
        {
            var http = new BasicHttpBinding(BasicHttpSecurityMode.None);
            if (pooled) binding = http;
            else
            {
                var elements = http.CreateBindingElements();
                elements.Find<HttpTransportBindingElement>()!.KeepAliveEnabled = false;
                binding = new CustomBinding(elements);
            }
        }
        else
        {
            var tcp = new NetTcpBinding(SecurityMode.None);
            if (pooled) binding = tcp;
            else
            {
                var elements = tcp.CreateBindingElements();
                elements.Find<TcpTransportBindingElement>()!.ConnectionPoolSettings.MaxOutboundConnectionsPerEndpoint = 0;
                binding = new CustomBinding(elements);
            }
        }
        binding.OpenTimeout = openTimeout;
        binding.CloseTimeout = openTimeout;
        // A request-reply call on a session is bounded by SendTimeout.
        binding.SendTimeout = callTimeout;
        if (receiveTimeout is { } r) binding.ReceiveTimeout = r;
        return binding;
    }

    // A channel addressed (To) to `url`, dialled at `via` when given: the .NET client has no
    // ClientViaBehavior, the via is the second argument of CreateChannel.
    public static IInteropService Channel(ChannelFactory<IInteropService> factory, string url, string? via) =>
        via is null ? factory.CreateChannel() : factory.CreateChannel(new EndpointAddress(url), new Uri(via));

    // What a failure is called in the JSON lines: a SOAP fault with its code and reason, or the exception's
    // type name and message.
    public static object Failure(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        return e switch
        {
            FaultException fe => new { type = "fault", code = fe.Code?.Name, subcode = fe.Code?.SubCode?.Name, reason = fe.Reason?.ToString() },
            _ => new { type = e.GetType().Name, message = e.Message },
        };
    }

    public static string TypeName(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        return e.GetType().Name;
    }
}
