"""Consult: a stakeholder consultation portal. The application factory lives here."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from consult.config import BASE_DIR, Config, load_secret_key


def create_app(config: type[Config] | Config = Config) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(BASE_DIR / "instance"),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(Path(app.instance_path))
    _prepare_sqlite_path(app)

    from consult.utils import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    _init_extensions(app)
    _register_blueprints(app)

    from consult import cache, cli, i18n, security, templating

    cache.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    cli.init_app(app)

    from consult.jobs import queue

    queue.init_app(app)
    from consult.api import setup as api_setup

    api_setup.init_app(app)
    return app


def _prepare_sqlite_path(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:///:memory:"):
        from consult.private_files import create_private

        path = Path(uri.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created owner-only before SQLite opens it; its journals take the same mode.
        create_private(path)


def _init_extensions(app: Flask) -> None:
    from consult import database
    from consult.extensions import csrf, db, limiter, login_manager, mail, migrate
    from consult.models import User  # noqa: F401  (registers the user loader's model)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(BASE_DIR / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=database.render_migration_item,
        include_object=database.include_migration_object,
    )
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    database.init_app(app)

    from consult.auth import user_loading

    user_loading.init_login_manager(login_manager)
    user_loading.init_app(app)


def _register_blueprints(app: Flask) -> None:
    # The API's blueprint is registered by its flask-smorest Api (consult.api.setup), which
    # also writes the OpenAPI document; its views module is imported here like the others.
    import consult.api.routes  # noqa: F401

    # Each blueprint comes from its views module, which attaches the views as it is imported;
    # the package only makes the blueprint and never imports its views, so no cycle forms.
    from consult.admin.routes import bp as admin_bp
    from consult.auth.routes import bp as auth_bp
    from consult.comments.routes import bp as comments_bp
    from consult.drafts.routes import bp as drafts_bp
    from consult.errors.handlers import bp as errors_bp
    from consult.jobs.routes import bp as jobs_bp
    from consult.main.routes import bp as main_bp
    from consult.notifications.routes import bp as notifications_bp
    from consult.reports.routes import bp as reports_bp
    from consult.triage.routes import bp as triage_bp
    from consult.workshops.routes import bp as workshops_bp

    app.register_blueprint(errors_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(drafts_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(triage_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(workshops_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
