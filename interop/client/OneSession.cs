// One session of calls, one JSON line per step (see Program.cs for the usage).
using System.Diagnostics;
using System.ServiceModel;
using System.Text.Json;

public static class OneSession
{
    public const string Usage =
        "usage: InteropClient URL [--via VIA_URL] [--timeout-ms N] (echo:TEXT | delay:MS | burn:MS | fault:REASON)...";

    public static async Task<int> Run(string[] args)
    {
        string? url = null;
        string? via = null;
        int timeoutMs = 10_000;
        var calls = new List<Op>();
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--via" && i + 1 < args.Length) via = args[++i];
            else if (a == "--timeout-ms" && i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t > 0) { timeoutMs = t; i++; }
            else if (url is null && Endpoints.Supports(a)) url = a;
            else if (Op.Parse(a, allowFault: true) is { } op) calls.Add(op);
            else { url = null; break; }
        }
        if (url is null || calls.Count == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var timeout = TimeSpan.FromMilliseconds(timeoutMs);
        var factory = new ChannelFactory<IInteropService>(Endpoints.Create(url, pooled: true, timeout, timeout, timeout), new EndpointAddress(url));
        var channel = Endpoints.Channel(factory, url, via);
        var client = (IClientChannel)channel;

        void Print(object o) => Console.Out.WriteLine(JsonSerializer.Serialize(o));

        bool allAsExpected = true;
        var sw = Stopwatch.StartNew();
        try
        {
            await Task.Factory.FromAsync(client.BeginOpen, client.EndOpen, null);
            Print(new { op = "open", ok = true, ms = sw.Elapsed.TotalMilliseconds });
        }
        catch (Exception e)
        {
            Print(new { op = "open", ok = false, ms = sw.Elapsed.TotalMilliseconds, error = Endpoints.Failure(e) });
            client.Abort();
            return 1;
        }

        foreach (var call in calls)
        {
            var op = call.Name;
            sw.Restart();
            try
            {
                string result = await call.Call(channel);
                bool expected = op != "fault" && call.Expected(result);
                allAsExpected &= expected;
                Print(new { op, ok = true, expected, ms = sw.Elapsed.TotalMilliseconds, result });
            }
            catch (FaultException e) when (op == "fault")
            {
                bool expected = e.Reason?.ToString() == call.Arg;
                allAsExpected &= expected;
                Print(new { op, ok = false, expected, ms = sw.Elapsed.TotalMilliseconds, error = Endpoints.Failure(e) });
            }
            catch (Exception e)
            {
                allAsExpected = false;
                Print(new { op, ok = false, expected = false, ms = sw.Elapsed.TotalMilliseconds, error = Endpoints.Failure(e) });
                if (client.State == CommunicationState.Faulted) break;
            }
        }

        sw.Restart();
        try
        {
            if (client.State == CommunicationState.Opened) await Task.Factory.FromAsync(client.BeginClose, client.EndClose, null);
            else client.Abort();
            Print(new { op = "close", ok = true, ms = sw.Elapsed.TotalMilliseconds });
        }
        catch (Exception e)
        {
            client.Abort();
            Print(new { op = "close", ok = false, ms = sw.Elapsed.TotalMilliseconds, error = Endpoints.Failure(e) });
            allAsExpected = false;
        }
        return allAsExpected ? 0 : 1;
    }
}
