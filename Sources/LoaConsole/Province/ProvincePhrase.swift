import LoaDomain

/// Every fixed text of the province's pages (`/province`), in Vietnamese and English.
enum ProvincePhrase: Sendable {
    case brand, loginTitle, loginHint, wrongLogin, tooManyFailures, logout, needsPostgres
    case deskTitle, proposeTitle, proposeHint, title, text, communes, everyCommune, noCommunes, startsIn, minutes, propose
    case recentTitle, noEmergencies, proposedBy, startsAt, state, reached
    case awaiting, approved, withdrawn, approvals, approve, approveHint, withdraw, withdrawConfirm
    case proposerCannotApprove, youApproved, onlyApprovers, onlyOfficers
    case commune, takenUp, notTakenUp, ready, sounding, finished, back, proposedFlash, approvedFlash, sentFlash, withdrawnFlash
    case unknownCommunes, minutesRange, officer, approver, listen, speechUnavailable
    case accountsTitle, accountList, administrator, onlyAdmins, person, roles, created, active, disabled, yourAccount, disable, enable, disableConfirm
    case addAccount, addAccountHint, accountName, firstPassword, setPassword, setPasswordHint, newPassword
    case addedFlash, disabledFlash, enabledFlash, passwordFlash, auditTitle, when, who, what
    case setRoles, setRolesHint, rolesFlash, signInsTitle, fromAddress

    var text: LocalizedText {
        let (vi, en): (String, String) = switch self {
        case .brand: ("Loa · Tỉnh", "Loa · Province")
        case .loginTitle: ("Đăng nhập tài khoản tỉnh", "Province sign-in")
        case .loginHint: ("Dành cho cán bộ và lãnh đạo tỉnh gửi tin khẩn cấp tới nhiều xã.", "For the province's officers and leaders who send emergencies to many communes.")
        case .wrongLogin: ("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong name or password.")
        case .tooManyFailures: ("Đăng nhập sai quá nhiều lần; thử lại sau (giây):", "Too many failed sign-ins; try again in (seconds):")
        case .logout: ("Đăng xuất", "Sign out")
        case .needsPostgres: ("Trang của tỉnh cần cơ sở dữ liệu PostgreSQL chung của tỉnh; máy điều khiển này dùng SQLite của riêng một xã (xem docs/province.md).", "The province's pages need the province's shared PostgreSQL database; this controller runs on one commune's own SQLite (see docs/province.md).")
        case .deskTitle: ("Tin khẩn cấp của tỉnh", "The province's emergencies")
        case .proposeTitle: ("Soạn tin khẩn cấp cho nhiều xã", "Propose an emergency to communes")
        case .proposeHint: ("Tin được đọc bằng giọng đọc tự động ở mọi thôn của các xã đã chọn, ngắt mọi tin khác. Cần hai người duyệt khác nhau (không phải người soạn).", "It is read aloud by text-to-speech in every hamlet of the chosen communes and interrupts everything. Two different approvers (not the proposer) must approve it.")
        case .title: ("Tiêu đề", "Title")
        case .text: ("Nội dung đọc trên loa", "The text read aloud")
        case .communes: ("Các xã", "Communes")
        case .everyCommune: ("Tất cả các xã", "Every commune")
        case .noCommunes: ("Chưa có xã nào chạy trên cơ sở dữ liệu này.", "No commune runs on this database yet.")
        case .startsIn: ("Phát sau", "Airs in")
        case .minutes: ("phút", "minutes")
        case .propose: ("Gửi đề xuất để duyệt", "Propose for approval")
        case .recentTitle: ("Tin gần đây", "Recent emergencies")
        case .noEmergencies: ("Chưa có tin khẩn cấp nào của tỉnh.", "The province has sent no emergency yet.")
        case .proposedBy: ("Người soạn", "Proposed by")
        case .startsAt: ("Giờ phát", "Airs at")
        case .state: ("Trạng thái", "State")
        case .reached: ("Số xã đã nhận", "Communes reached")
        case .awaiting: ("Chờ duyệt", "Awaiting approval")
        case .approved: ("Đã duyệt, đang gửi", "Approved, sending")
        case .withdrawn: ("Đã hủy", "Withdrawn")
        case .approvals: ("Lượt duyệt", "Approvals")
        case .approve: ("Duyệt tin này", "Approve it")
        case .approveHint: ("Lượt duyệt thứ hai gửi tin tới các xã ngay.", "The second approval sends it to the communes at once.")
        case .withdraw: ("Hủy tin ở mọi xã", "Withdraw it everywhere")
        case .withdrawConfirm: ("Hủy tin khẩn cấp này ở mọi xã? Loa đang phát sẽ dừng.", "Withdraw this emergency everywhere? Loudspeakers playing it stop.")
        case .proposerCannotApprove: ("Bạn là người soạn: cần hai người khác duyệt.", "You proposed it: two others must approve it.")
        case .youApproved: ("Bạn đã duyệt tin này.", "You approved it.")
        case .onlyApprovers: ("Chỉ người duyệt của tỉnh mới duyệt được.", "Only the province's approvers may approve.")
        case .onlyOfficers: ("Chỉ cán bộ soạn của tỉnh mới soạn được tin.", "Only the province's officers may propose.")
        case .commune: ("Xã", "Commune")
        case .takenUp: ("Đã nhận lúc", "Taken up at")
        case .notTakenUp: ("chưa nhận", "not yet")
        case .ready: ("Cụm loa sẵn sàng", "Receivers ready")
        case .sounding: ("Đang/đã phát", "Sounding")
        case .finished: ("Phát xong", "Finished")
        case .back: ("← Danh sách tin", "← All emergencies")
        case .proposedFlash: ("Đã gửi đề xuất; cần hai người duyệt khác nhau.", "Proposed; two different approvers must approve it.")
        case .approvedFlash: ("Đã ghi lượt duyệt của bạn.", "Your approval is recorded.")
        case .sentFlash: ("Đủ hai lượt duyệt: tin đã gửi tới các xã.", "Two approvals: it is on its way to the communes.")
        case .withdrawnFlash: ("Đã hủy tin ở mọi xã.", "Withdrawn everywhere.")
        case .unknownCommunes: ("Không có xã này trên cơ sở dữ liệu của tỉnh:", "No such commune on the province's database:")
        case .minutesRange: ("Phát sau: từ 1 đến 720 phút", "Airs in: 1 to 720 minutes")
        case .officer: ("cán bộ soạn", "officer")
        case .approver: ("người duyệt", "approver")
        case .listen: ("Nghe trước như loa sẽ đọc", "Listen as the loudspeakers will read it")
        case .speechUnavailable: ("Máy đọc tự động không đọc được nội dung này", "Text-to-speech cannot read this text")
        case .accountsTitle: ("Tài khoản của tỉnh", "Province accounts")
        case .accountList: ("Danh sách tài khoản", "Every account")
        case .administrator: ("quản trị tài khoản", "account administrator")
        case .onlyAdmins: ("Chỉ người quản trị tài khoản của tỉnh mới xem và đổi được tài khoản.", "Only the province's account administrators may see and change accounts.")
        case .person: ("Họ tên, chức vụ", "Name and office")
        case .roles: ("Vai trò", "Roles")
        case .created: ("Tạo lúc", "Created")
        case .active: ("Đang dùng", "Active")
        case .disabled: ("Đã khóa", "Disabled")
        case .yourAccount: ("Tài khoản của bạn", "Your account")
        case .disable: ("Khóa", "Disable")
        case .enable: ("Mở khóa", "Enable")
        case .disableConfirm: ("Khóa tài khoản (đăng xuất ngay, không đăng nhập được nữa):", "Disable the account (signed out at once, cannot sign in):")
        case .addAccount: ("Thêm tài khoản", "Add an account")
        case .addAccountHint: ("Cán bộ soạn đề xuất tin khẩn cấp; người duyệt duyệt tin (cần hai người khác người soạn); người quản trị chỉ quản lý tài khoản. Trao mật khẩu đầu tiên tận tay.", "Officers propose emergencies; approvers approve them (two, other than the proposer); administrators only manage accounts. Hand the first password over in person.")
        case .accountName: ("Tên đăng nhập (chữ thường, số, dấu -)", "Sign-in name (lowercase letters, digits, -)")
        case .firstPassword: ("Mật khẩu đầu tiên (ít nhất 12 ký tự)", "First password (at least 12 characters)")
        case .setPassword: ("Đặt mật khẩu mới", "Set a new password")
        case .setPasswordHint: ("Người đó bị đăng xuất ở mọi nơi và đăng nhập lại bằng mật khẩu mới.", "They are signed out everywhere and sign in again with the new password.")
        case .newPassword: ("Mật khẩu mới (ít nhất 12 ký tự)", "New password (at least 12 characters)")
        case .auditTitle: ("Nhật ký thay đổi tài khoản", "Changes to accounts")
        case .when: ("Lúc", "When")
        case .who: ("Người làm", "By")
        case .what: ("Việc", "What")
        case .addedFlash: ("Đã thêm tài khoản.", "The account is added.")
        case .disabledFlash: ("Đã khóa tài khoản; người đó đã bị đăng xuất.", "The account is disabled and signed out.")
        case .enabledFlash: ("Đã mở khóa tài khoản.", "The account is enabled again.")
        case .passwordFlash: ("Đã đặt mật khẩu mới; người đó đã bị đăng xuất.", "The new password is set; they are signed out.")
        case .setRoles: ("Đổi vai trò", "Change roles")
        case .setRolesHint: ("Vai trò mới có hiệu lực ngay từ trang tiếp theo người đó mở. Không tự đổi vai trò của mình; phải còn ít nhất một quản trị viên.", "The new roles hold from the next page they open. You cannot change your own roles; at least one administrator must remain.")
        case .rolesFlash: ("Đã đổi vai trò.", "The roles are changed.")
        case .signInsTitle: ("Nhật ký đăng nhập", "Sign-ins")
        case .fromAddress: ("Từ địa chỉ", "From address")
        }
        return LocalizedText(vi: vi, en: en)
    }
}

extension ConsoleLanguage {
    /// A province page's phrase in this language.
    func callAsFunction(_ phrase: ProvincePhrase) -> String { self(phrase.text) }
}
