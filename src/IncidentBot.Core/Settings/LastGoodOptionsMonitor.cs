using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace IncidentBot.Core.Settings;

/// <summary>
/// The <see cref="IOptionsMonitor{TOptions}"/> for settings registered by <c>AddSettings</c>: when the configuration
/// changes while the bot runs (appsettings.json is reloaded), the new values are built and validated; a change that
/// fails validation is refused, one log line per problem naming its key, and the last valid values stay in force.
/// Listeners are told only of valid values. Nothing here throws from the change callback. The first read of a name
/// still throws when its values are invalid: start-up validation relies on that.
/// </summary>
public sealed class LastGoodOptionsMonitor<T> : IOptionsMonitor<T>, IDisposable
    where T : class
{
    private readonly IOptionsFactory<T> _factory;
    private readonly ILogger<LastGoodOptionsMonitor<T>> _log;
    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _registrations = [];
    private readonly Lock _gate = new();
    private Action<T, string?>[] _listeners = []; // replaced, never changed in place: Changed reads it without the lock

    public LastGoodOptionsMonitor(IOptionsFactory<T> factory, IEnumerable<IOptionsChangeTokenSource<T>> sources, ILogger<LastGoodOptionsMonitor<T>> log)
    {
        _factory = factory;
        _log = log;
        foreach (var source in sources)
        {
            _registrations.Add(ChangeToken.OnChange(source.GetChangeToken, Changed, source.Name ?? Options.DefaultName));
        }
    }

    public T CurrentValue => Get(Options.DefaultName);

    public T Get(string? name) => _values.GetOrAdd(name ?? Options.DefaultName, _factory.Create);

    public IDisposable? OnChange(Action<T, string?> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }

        return new Unsubscribe(this, listener);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Changed(string name)
    {
        T value;
        try
        {
            value = _factory.Create(name);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                _log.LogError("Settings change refused: {Problem}", failure);
            }

            _log.LogWarning("Settings change to {Settings} refused: the previous values stay in force until the settings are fixed", typeof(T).Name);
            return;
        }
        catch (Exception e)
        {
            // A value that doesn't parse, say: the binder throws. The same rule: keep what works.
            _log.LogError("Settings change refused: {Problem}", e.Message);
            _log.LogWarning("Settings change to {Settings} refused: the previous values stay in force until the settings are fixed", typeof(T).Name);
            return;
        }

        _values[name] = value;
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try
            {
                listener(value, name);
            }
            catch (Exception e)
            {
                _log.LogError(e, "A listener to {Settings} changes failed", typeof(T).Name);
            }
        }
    }

    private void Remove(Action<T, string?> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => l != listener)];
        }
    }

    private sealed class Unsubscribe(LastGoodOptionsMonitor<T> monitor, Action<T, string?> listener) : IDisposable
    {
        public void Dispose() => monitor.Remove(listener);
    }
}
