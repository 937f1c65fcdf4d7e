"""Demo documents: for acme, one delivered outbrief with three findings and one draft."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import Organization, Role, User
from portal.core import clock
from portal.db import db
from portal.documents import services
from portal.documents.interfaces import FindingInput, OutbriefInput
from portal.documents.models import Outbrief

DELIVERED_TITLE = "インシデント対応調査 アウトブリーフ"
DRAFT_TITLE = "Azure 環境セキュリティ アセスメント"
FINDINGS = (
    FindingInput(
        "管理者アカウントに多要素認証が設定されていない", "high",
        "グローバル管理者 3 名のうち 2 名に多要素認証が設定されていませんでした。"
        "攻撃者はパスワード スプレー攻撃で管理者権限を取得できる状態でした。",
        "Administrator accounts without multi-factor authentication",
        "Two of the three global administrators had no multi-factor authentication. An attacker "
        "could obtain administrator rights with a password-spray attack."),
    FindingInput(
        "監査ログの保存期間が短い", "medium",
        "サインイン ログと監査ログの保存期間が 30 日で、初期侵入の時期を特定できませんでした。",
        "Audit logs kept for a short time",
        "Sign-in and audit logs were kept for 30 days, so the time of the first intrusion could "
        "not be established."),
    FindingInput(
        "使用されていない外部共有リンク", "low",
        "匿名アクセス可能な共有リンクが 14 件残っていました。機密情報は含まれていませんでした。",
        "Unused external sharing links",
        "14 sharing links open to anonymous access remained. They held no confidential data."),
)
RECOMMENDATIONS = (
    "すべての管理者アカウントに多要素認証を必須とする条件付きアクセス ポリシーを適用してください。",
    "監査ログを 1 年以上保存するよう、ログ分析基盤への転送を設定してください。",
    "匿名共有リンクの有効期限を 30 日以内に制限してください。",
)
RECOMMENDATIONS_EN = (
    "Apply a conditional-access policy that requires multi-factor authentication for every "
    "administrator account.",
    "Forward the audit logs to a log-analysis platform that keeps them for at least a year.",
    "Limit anonymous sharing links to an expiry of 30 days or less.",
)


def seed_documents() -> list[str]:
    """Add the demo outbriefs for acme (idempotent: nothing happens if acme already has one)."""
    org = db.session.scalar(select(Organization).where(Organization.slug == "acme"))
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id))
    if org is None or staff is None:
        return ["No acme organisation or staff member: no demo documents."]
    if db.session.scalar(select(Outbrief.id).where(Outbrief.organization_id == org.id).limit(1)):
        return ["acme already has outbriefs: no demo documents added."]
    today = clock.now().date()
    delivered = services.create_outbrief(staff, OutbriefInput(
        organization_id=org.id, kind="incident_response", title=DELIVERED_TITLE,
        engagement_start=today - timedelta(days=12), engagement_end=today - timedelta(days=8),
        summary="不審なサインインの報告を受けて調査を行いました。管理者アカウント 1 件の侵害を確認し、"
                "封じ込めを完了しました。主な原因は多要素認証の未設定です。",
        findings=FINDINGS, recommendations=RECOMMENDATIONS,
        title_en="Incident response investigation: outbrief",
        summary_en="We investigated after suspicious sign-ins were reported, confirmed that one "
                   "administrator account had been compromised, and completed its containment. "
                   "The main cause was missing multi-factor authentication.",
        recommendations_en=RECOMMENDATIONS_EN))
    services.deliver(staff, delivered)
    services.create_outbrief(staff, OutbriefInput(
        organization_id=org.id, kind="assessment", title=DRAFT_TITLE,
        engagement_start=today - timedelta(days=3), engagement_end=today + timedelta(days=2),
        summary="", findings=(), recommendations=()))
    db.session.commit()
    return [f"Demo documents: one delivered outbrief and one draft for {org.name}."]
