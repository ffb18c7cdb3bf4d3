import { useEffect } from 'react';
import { Empty } from './components/States';
import { Link, navigate, useLocation } from './lib/router';
import { useTheme } from './lib/use-theme';
import { AlertsPage } from './pages/AlertsPage';
import { ComparePage } from './pages/ComparePage';
import { ErrorsPage } from './pages/ErrorsPage';
import { SearchPage } from './pages/SearchPage';
import { ServiceMapPage } from './pages/ServiceMapPage';
import { ServicePage } from './pages/ServicePage';
import { ServicesPage } from './pages/ServicesPage';
import { TracePage } from './pages/TracePage';

const NAV = [
  { to: '/search', label: 'Search', match: ['/search', '/trace', '/compare'] },
  { to: '/map', label: 'Service map', match: ['/map'] },
  { to: '/services', label: 'Services', match: ['/services'] },
  { to: '/errors', label: 'Errors', match: ['/errors'] },
  { to: '/alerts', label: 'Alerts', match: ['/alerts'] },
];

function Page({ path }: { path: string }) {
  const [, first, rest] = /^\/([^/]*)\/?(.*)$/.exec(path) ?? [];
  const arg = rest ? decodeURIComponent(rest) : '';
  switch (first) {
    case 'search':
      return <SearchPage />;
    case 'trace':
      return arg ? <TracePage key={arg} traceId={arg} /> : <Empty title="No trace id in the address." />;
    case 'compare':
      return <ComparePage />;
    case 'map':
      return <ServiceMapPage />;
    case 'services':
      return arg ? <ServicePage key={arg} service={arg} /> : <ServicesPage />;
    case 'errors':
      return <ErrorsPage />;
    case 'alerts':
      return <AlertsPage />;
    default:
      return (
        <Empty title="No such page.">
          <Link to="/search">Search traces</Link>
        </Empty>
      );
  }
}

export function App() {
  const { path } = useLocation();
  const [theme, toggleTheme] = useTheme();
  useEffect(() => {
    if (path === '/') navigate('/search', true);
  }, [path]);
  return (
    <>
      <nav className="topbar" aria-label="Main">
        <Link to="/search" className="brand">
          Ariadne
        </Link>
        {NAV.map((n) => (
          <Link key={n.to} to={n.to} className={n.match.some((m) => path.startsWith(m)) ? 'active' : undefined} aria-current={n.match.some((m) => path.startsWith(m)) ? 'page' : undefined}>
            {n.label}
          </Link>
        ))}
        <span className="spacer" />
        <button type="button" className="theme-toggle" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </nav>
      <main>
        <Page path={path} />
      </main>
    </>
  );
}
