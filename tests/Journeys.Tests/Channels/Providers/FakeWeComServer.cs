using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Journeys.Tests.Channels.Providers;

/// <summary>WeCom's server API as its documentation describes it, on loopback: <c>/cgi-bin/gettoken</c> issues tokens
/// for the one corp id and secret it knows (40013 for another corp, 40001 for another secret), valid
/// <see cref="TokenLifetime"/> on the test's clock (42001 once expired, 40014 for a token it never issued);
/// <c>/cgi-bin/message/send</c> checks the token, the agent id (40056), the staff member (81013 when unknown), the
/// content (44004 when empty) and drops a repeat within the duplicate-check interval;
/// <c>/cgi-bin/externalcontact/add_msg_template</c> creates a task for the sender to confirm and lists in
/// <c>fail_list</c> a customer who already has 4 group sends this calendar month or is not a contact;
/// <c>/cgi-bin/webhook/send</c> takes a robot's key (93000 for an unknown one) and at most 20 messages a minute
/// (45009). Every answer is HTTP 200 with an <c>errcode</c>, as WeCom's are.</summary>
internal sealed class FakeWeComServer(TimeProvider time) : FakeProviderServer(time)
{
    public const string CorpId = "ww-corp-1";
    public const string Secret = "app-secret-1";
    public const int AgentId = 1000002;
    public const string RobotKey = "robot-key-1";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(2);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastContent = new();
    private readonly ConcurrentQueue<DateTimeOffset> _robotPosts = new();
    private int _issued;

    /// <summary>Staff members of the corp, and the customers each has as contacts.</summary>
    public Dictionary<string, string[]> Staff { get; } = new() { ["zhangsan"] = ["wm-cust-1", "wm-cust-2"], ["lisi"] = [] };

    /// <summary>What reached a staff member (application messages), in order: (user, msgtype, the message object).</summary>
    public ConcurrentQueue<(string User, string MsgType, JsonElement Message)> AppMessages { get; } = new();

    /// <summary>Group-send tasks created: (sender, customer, the request).</summary>
    public ConcurrentQueue<(string Sender, string Customer, DateTimeOffset At, JsonElement Request)> Tasks { get; } = new();

    /// <summary>Posts a robot made to its group.</summary>
    public ConcurrentQueue<JsonElement> GroupPosts { get; } = new();

    public int TokensIssued => _issued;

    /// <summary>Ends every token now, as WeCom does when a token is refreshed elsewhere or its time is up.</summary>
    public void ExpireTokens()
    {
        foreach (var token in _tokens.Keys)
        {
            _tokens[token] = Time.GetUtcNow();
        }
    }

    protected override Task RouteAsync(HttpContext context, ProviderRequest request) => request.Path switch
    {
        "/cgi-bin/gettoken" => GetTokenAsync(context, request),
        "/cgi-bin/message/send" => WithTokenAsync(context, request, () => SendAsync(context, request.Json)),
        "/cgi-bin/externalcontact/add_msg_template" => WithTokenAsync(context, request, () => AddTemplateAsync(context, request.Json)),
        "/cgi-bin/webhook/send" => RobotAsync(context, request),
        _ => JsonAsync(context, new { errcode = 60011, errmsg = "no privilege to access/modify contact/party/agent" }, 404),
    };

    private static Task ErrorAsync(HttpContext context, int errcode, string errmsg) => JsonAsync(context, new { errcode, errmsg });

    private Task GetTokenAsync(HttpContext context, ProviderRequest request)
    {
        if (request.QueryValue("corpid") != CorpId)
        {
            return ErrorAsync(context, 40013, "invalid corpid");
        }

        if (request.QueryValue("corpsecret") != Secret)
        {
            return ErrorAsync(context, 40001, "invalid credential");
        }

        var token = $"tok-{Interlocked.Increment(ref _issued)}";
        _tokens[token] = Time.GetUtcNow() + TokenLifetime;
        return JsonAsync(context, new { errcode = 0, errmsg = "ok", access_token = token, expires_in = (int)TokenLifetime.TotalSeconds });
    }

    private Task WithTokenAsync(HttpContext context, ProviderRequest request, Func<Task> handle)
    {
        var token = request.QueryValue("access_token");
        if (token is null || !_tokens.TryGetValue(token, out var until))
        {
            return ErrorAsync(context, 40014, "invalid access_token");
        }

        return Time.GetUtcNow() >= until ? ErrorAsync(context, 42001, "access_token expired") : handle();
    }

    private Task SendAsync(HttpContext context, JsonElement body)
    {
        if (!body.TryGetProperty("agentid", out var agent) || agent.GetInt32() != AgentId)
        {
            return ErrorAsync(context, 40056, "invalid agentid");
        }

        var user = body.GetProperty("touser").GetString()!;
        if (!Staff.ContainsKey(user))
        {
            return ErrorAsync(context, 81013, "user & party & tag all invalid");
        }

        var msgtype = body.GetProperty("msgtype").GetString()!;
        var message = body.GetProperty(msgtype);
        if (msgtype is "text" or "markdown" && string.IsNullOrWhiteSpace(message.GetProperty("content").GetString()))
        {
            return ErrorAsync(context, 44004, "empty content");
        }

        var now = Time.GetUtcNow();
        var contentKey = $"{user}|{msgtype}|{message.GetRawText()}";
        if (body.TryGetProperty("enable_duplicate_check", out var check) && check.GetInt32() == 1
            && _lastContent.TryGetValue(contentKey, out var last) && now - last < TimeSpan.FromSeconds(body.GetProperty("duplicate_check_interval").GetInt32()))
        {
            return JsonAsync(context, new { errcode = 0, errmsg = "ok", invaliduser = "" }); // dropped as a repeat
        }

        _lastContent[contentKey] = now;
        AppMessages.Enqueue((user, msgtype, message.Clone()));
        return JsonAsync(context, new { errcode = 0, errmsg = "ok", invaliduser = "", msgid = $"msg-{AppMessages.Count}" });
    }

    private Task AddTemplateAsync(HttpContext context, JsonElement body)
    {
        var sender = body.GetProperty("sender").GetString()!;
        if (!Staff.TryGetValue(sender, out var contacts))
        {
            return ErrorAsync(context, 41048, "sender not found");
        }

        var hasText = body.TryGetProperty("text", out var text) && !string.IsNullOrWhiteSpace(text.GetProperty("content").GetString());
        if (!hasText && !body.TryGetProperty("attachments", out _))
        {
            return ErrorAsync(context, 41063, "text and attachments are both empty");
        }

        var now = Time.GetUtcNow();
        var failed = new List<string>();
        foreach (var customer in body.GetProperty("external_userid").EnumerateArray().Select(c => c.GetString()!))
        {
            var thisMonth = Tasks.Count(t => t.Customer == customer && t.At.Year == now.Year && t.At.Month == now.Month);
            if (!contacts.Contains(customer) || thisMonth >= 4)
            {
                failed.Add(customer);
                continue;
            }

            Tasks.Enqueue((sender, customer, now, body.Clone()));
        }

        return JsonAsync(context, new { errcode = 0, errmsg = "ok", fail_list = failed, msgid = $"msgGC-{Tasks.Count}" });
    }

    private Task RobotAsync(HttpContext context, ProviderRequest request)
    {
        if (request.QueryValue("key") != RobotKey)
        {
            return ErrorAsync(context, 93000, "invalid webhook url");
        }

        var now = Time.GetUtcNow();
        if (_robotPosts.Count(t => now - t < TimeSpan.FromMinutes(1)) >= 20)
        {
            return ErrorAsync(context, 45009, "api freq out of limit");
        }

        _robotPosts.Enqueue(now);
        GroupPosts.Enqueue(request.Json);
        return ErrorAsync(context, 0, "ok");
    }
}
