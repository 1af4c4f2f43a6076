// Calls the interop service over net.tcp (NetTcpBinding, SecurityMode.None) and prints one JSON line per
// call. Usage:
//   InteropClient URL [--via VIA_URL] [--timeout-ms N] CALL...
//   CALL: echo:TEXT | delay:MS | fault:REASON
// URL is the service address (the To header); --via dials another address, e.g. a sharing host that
// forwards to the service. Exit code: 0 when every call did what it should (echo returns its text, delay
// returns, fault raises a FaultException with its reason), 1 when one did not, 2 for bad usage.
using System.Diagnostics;
using System.ServiceModel;
using System.Text.Json;

string? url = null;
string? via = null;
int timeoutMs = 10_000;
var calls = new List<(string Op, string Arg)>();
for (int i = 0; i < args.Length; i++)
{
    var a = args[i];
    if (a == "--via" && i + 1 < args.Length) via = args[++i];
    else if (a == "--timeout-ms" && i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t > 0) { timeoutMs = t; i++; }
    else if (url is null && a.StartsWith("net.tcp://", StringComparison.Ordinal)) url = a;
    else if (a.IndexOf(':') is var c and > 0 && a[..c] is "echo" or "delay" or "fault") calls.Add((a[..c], a[(c + 1)..]));
    else { url = null; break; }
}
if (url is null || calls.Count == 0)
{
    Console.Error.WriteLine("usage: InteropClient URL [--via VIA_URL] [--timeout-ms N] (echo:TEXT | delay:MS | fault:REASON)...");
    return 2;
}

var binding = new NetTcpBinding(SecurityMode.None)
{
    OpenTimeout = TimeSpan.FromMilliseconds(timeoutMs),
    SendTimeout = TimeSpan.FromMilliseconds(timeoutMs),
    ReceiveTimeout = TimeSpan.FromMilliseconds(timeoutMs),
    CloseTimeout = TimeSpan.FromMilliseconds(timeoutMs),
};
var factory = new ChannelFactory<IInteropService>(binding, new EndpointAddress(url));
// The .NET client has no ClientViaBehavior: the via is the second argument of CreateChannel.
var channel = via is null ? factory.CreateChannel() : factory.CreateChannel(new EndpointAddress(url), new Uri(via));
var client = (IClientChannel)channel;

void Print(object o) => Console.Out.WriteLine(JsonSerializer.Serialize(o));
object Failure(Exception e) => e switch
{
    FaultException fe => new { type = "fault", code = fe.Code?.Name, subcode = fe.Code?.SubCode?.Name, reason = fe.Reason?.ToString() },
    _ => new { type = e.GetType().Name, message = e.Message },
};

bool allAsExpected = true;
var sw = Stopwatch.StartNew();
try
{
    client.Open();
    Print(new { op = "open", ok = true, ms = sw.Elapsed.TotalMilliseconds });
}
catch (Exception e)
{
    Print(new { op = "open", ok = false, ms = sw.Elapsed.TotalMilliseconds, error = Failure(e) });
    client.Abort();
    return 1;
}

foreach (var (op, arg) in calls)
{
    sw.Restart();
    try
    {
        string result = op switch
        {
            "echo" => channel.Echo(arg),
            "delay" => await channel.Delay(int.Parse(arg)),
            _ => channel.Fault(arg),
        };
        bool expected = op switch { "echo" => result == arg, "delay" => true, _ => false };
        allAsExpected &= expected;
        Print(new { op, ok = true, expected, ms = sw.Elapsed.TotalMilliseconds, result });
    }
    catch (FaultException e) when (op == "fault")
    {
        bool expected = e.Reason?.ToString() == arg;
        allAsExpected &= expected;
        Print(new { op, ok = false, expected, ms = sw.Elapsed.TotalMilliseconds, error = Failure(e) });
    }
    catch (Exception e)
    {
        allAsExpected = false;
        Print(new { op, ok = false, expected = false, ms = sw.Elapsed.TotalMilliseconds, error = Failure(e) });
        if (client.State == CommunicationState.Faulted) break;
    }
}

sw.Restart();
try
{
    if (client.State == CommunicationState.Opened) client.Close();
    else client.Abort();
    Print(new { op = "close", ok = true, ms = sw.Elapsed.TotalMilliseconds });
}
catch (Exception e)
{
    client.Abort();
    Print(new { op = "close", ok = false, ms = sw.Elapsed.TotalMilliseconds, error = Failure(e) });
    allAsExpected = false;
}
return allAsExpected ? 0 : 1;

[ServiceContract(Namespace = "http://tempuri.org/", Name = "IInteropService")]
public interface IInteropService
{
    [OperationContract]
    string Echo(string text);

    [OperationContract]
    Task<string> Delay(int ms);

    [OperationContract]
    string Fault(string reason);
}
