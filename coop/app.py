"""Assemble the application: one place, no state at import time."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore

from coop import __version__, db, logs
from coop.accounts import templating as account_templates
from coop.accounts.account_page import AccountController
from coop.accounts.admin import UserAdminController
from coop.accounts.api import MeController
from coop.accounts.auth import AuthMiddleware, requires
from coop.accounts.enrolment import EnrolmentController
from coop.accounts.login import LoginController
from coop.accounts.overview import OverviewController
from coop.accounts.recovery import PasswordRecoveryController
from coop.accounts.roles import Role
from coop.accounts.tenant_bridge import TenantInviteController, provide_tenant_user, tenant_router
from coop.allocation.api import PlacementApi, PlacementFollowUpApi, ProposalApi
from coop.allocation.controllers import ALLOCATION_PAGES
from coop.allocation.manual import MANUAL_PLACEMENT_PAGES
from coop.audit.controllers import AuditController
from coop.banenafspraak.api import BanenafspraakApi
from coop.banenafspraak.controllers import CONTRIBUTION_PAGES
from coop.mail import sender
from coop.mail.bridge import provide_mail_writer
from coop.mail.controllers import OutboxController
from coop.members.api import MemberApiController, OrganisationApiController
from coop.members.controllers import (
    ApplicationFormController,
    ApplicationReviewController,
    MemberAdminController,
    OrganisationController,
)
from coop.participants.api import ParticipantApiController, ProfileApiController
from coop.participants.controllers import ParticipantAdminController, ProfileController
from coop.reference import regions as reference_regions
from coop.reports.controllers import MonitorController
from coop.settings import Settings
from coop.settings import from_env as settings_from_env
from coop.web.asgi import CoopApp
from coop.web.health import HealthController
from coop.web.pages import PagesController
from coop.web.problems import EXCEPTION_HANDLERS
from coop.web.security import security_headers_hook
from coop.web.templating import STATIC_DIR, template_config
from coop.work.api import PlaceApi, PooledJobApi, WorkPackageApi
from coop.work.controllers import WORK_PAGES
from selfscan.report import service as report_service
from selfscan.report.controllers import ReportController
from selfscan.scans.api import SelfscanApi
from selfscan.scans.config import STATE_KEY as SELFSCAN_STATE
from selfscan.scans.config import SelfscanConfig
from selfscan.scans.controllers import ScanPages
from selfscan.tenants.embedding import EmbedAssets, frame_ancestors
from selfscan.tenants.leads import api as lead_api
from selfscan.tenants.leads import controllers as lead_controllers
from selfscan.tenants.leads import pages as lead_pages

# Paths that never carry a session or CSRF cookie and are not rate limited by the
# general page limit (they have their own, or need none).
COOKIELESS_PATHS = ["/api/", "/scan/", "/embed.js", "/static/", "/health/"]


def _stores(settings: Settings) -> dict[str, Store]:
    if settings.redis_url:
        from litestar.stores.redis import RedisStore

        namespace = f"coop:{settings.env}"
        return {
            "rate_limit": RedisStore.with_client(
                url=settings.redis_url, namespace=f"{namespace}:rl"
            ),
            "sessions": RedisStore.with_client(url=settings.redis_url, namespace=f"{namespace}:s"),
            "throttle": RedisStore.with_client(url=settings.redis_url, namespace=f"{namespace}:t"),
        }
    return {"rate_limit": MemoryStore(), "sessions": MemoryStore(), "throttle": MemoryStore()}


def _allowed_hosts(settings: Settings) -> list[str]:
    hosts = {settings.host}
    if not settings.is_production:
        hosts |= {"127.0.0.1", "localhost", "[::1]"}
    return sorted(hosts)


#: The first generation's threshold (Python's default: 700 allocations).
GC_THRESHOLDS = (50_000, 20, 100)


def tune_garbage_collector() -> None:
    """Collect less often. A monitor page or a yearly count builds tens of thousands of
    rows that all live until the answer is sent; at Python's default thresholds the
    collector traverses them again and again, which made the monitor's cost grow faster
    than its data (4x the placements took 5.3x the time; with these thresholds 3.3x,
    and every size faster: ``bench/monitor.py``). Process-wide and idempotent."""
    gc.set_threshold(*GC_THRESHOLDS)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or settings_from_env()
    engine = db.use_engine(db.engine_from_url(settings.database_url))

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        db.prepare_sqlite_file(engine)
        tune_garbage_collector()
        testing = settings.env == "test"  # reports in a temporary folder, workers on demand
        async with (
            db.pool(engine),
            sender.lifespan(settings),
            report_service.lifespan(
                app,
                workers=settings.pdf_workers,
                cache_dir=None if testing else "data/reports",
                prestart=not testing,
            ),
        ):
            yield

    rate_limit = RateLimitConfig(
        rate_limit=("minute", settings.rate_limit_per_minute),
        exclude=["^/static/", "^/health/"],
        store="rate_limit",
    )

    app = CoopApp(
        route_handlers=[
            PagesController,
            LoginController,
            EnrolmentController,
            OverviewController,
            AccountController,
            PasswordRecoveryController,
            UserAdminController,
            MeController,
            AuditController,
            OrganisationController,
            ApplicationFormController,
            ApplicationReviewController,
            MemberAdminController,
            OrganisationApiController,
            MemberApiController,
            BanenafspraakApi,
            *CONTRIBUTION_PAGES,
            ParticipantAdminController,
            ProfileController,
            ParticipantApiController,
            ProfileApiController,
            WorkPackageApi,
            PooledJobApi,
            PlaceApi,
            *WORK_PAGES,
            PlacementApi,
            PlacementFollowUpApi,
            ProposalApi,
            *ALLOCATION_PAGES,
            *MANUAL_PLACEMENT_PAGES,
            MonitorController,
            ScanPages,
            # Embedding (/embed.js, brand.css, logo) and the tenant back office.
            EmbedAssets,
            tenant_router(),
            TenantInviteController,
            # Leads: the employer's contact form writes its mails to our outbox.
            Router(
                path="/",
                route_handlers=[lead_pages.LeadPages],
                dependencies={"mail_writer": Provide(provide_mail_writer)},
                include_in_schema=False,
            ),
            # The WSP's leads and dashboard (pages and API), for admins and WSP users.
            Router(
                path="/",
                route_handlers=[lead_controllers.WspLeadsController, lead_api.LeadApiController],
                guards=[requires(Role.ADMIN, Role.WSP)],
                dependencies={"tenant_user": Provide(provide_tenant_user)},
            ),
            OutboxController,
            SelfscanApi,
            HealthController,
            ReportController,
            create_static_files_router(
                path="/static", directories=[STATIC_DIR], include_in_schema=False
            ),
        ],
        lifespan=[lifespan],
        # 0 turns the limit off, for benchmarks; production refuses it.
        middleware=[
            *([rate_limit.middleware] if settings.rate_limit_per_minute else []),
            AuthMiddleware(secure=settings.https, base_url=settings.base_url),
        ],
        before_send=[
            security_headers_hook(hsts=settings.is_production, frame_ancestors=frame_ancestors)
        ],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        template_config=template_config(
            account_templates.GLOBALS,
            account_templates.FILTERS,
            auto_reload=settings.env == "development",
        ),
        stores=_stores(settings),
        openapi_config=OpenAPIConfig(
            title="Coöperatie Inclusief Werk API",
            version=__version__,
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(
                        type="http",
                        scheme="bearer",
                        bearer_format="coop_<prefix>_<secret>",
                        description="A personal API token, made on /account or with "
                        "`coop token create`.",
                    )
                }
            ),
        ),
        debug=settings.env == "development",
        # Our JSON logging (coop.logs) stays in charge; Litestar's would replace it.
        logging_config=None,
        state=State(
            {
                "settings": settings,
                SELFSCAN_STATE: SelfscanConfig(
                    default_tenant=settings.default_tenant,
                    base_url=settings.base_url,
                    # Off with the general limit (benchmarks; refused in production).
                    new_scans_per_minute=20 if settings.rate_limit_per_minute else 0,
                    # A person needs more than this for 32 questions; off in tests and
                    # benchmarks, which answer in milliseconds.
                    min_fill_seconds=(
                        20 if settings.rate_limit_per_minute and settings.env != "test" else 0
                    ),
                    production=settings.is_production,
                    regions=tuple((r.code, r.name) for r in reference_regions.regions()),
                    render_ahead=settings.env != "test",
                ),
            }
        ),
    )
    app.allowed_host_names = frozenset(_allowed_hosts(settings))
    return app


def create_app_from_env() -> Any:
    """Factory for ``uvicorn --factory`` in every worker process."""
    settings = settings_from_env()
    logs.configure(settings.log_level)
    return create_app(settings)
