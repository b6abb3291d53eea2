"""An evaluation set for people search: one person, the ways field staff write them.

Each line below is one person as registered (given name | family name |
name in the original script, empty when the person was registered in Latin
only | birth year | sex), then the queries that must find that person in
the first five results, separated by ";". Queries are the spellings met in
registers for the same person: other transliterations, other splits of
compound names, the article attached or not, given and family names
swapped, abbreviations, the name typed in Arabic or Ge'ez script. Every
person's registered name is also a query, which must rank that person
first (an exact full-name match above anyone sharing one word).

Some persons are near-miss namesakes of others (Mohamed Salah and Mohamed
Saleh, Hassan Ismail and Hussein Ismail): different people, each of whom
must come first for their own name.

Shared by tests/people/test_search_recall.py (a fixed subset, with a crowd
of invented persons) and bench/search_recall.py (the whole set).
"""

import re
import unicodedata
from dataclasses import dataclass

DATA = """
## arabic SD
Mohamed | Abdelrahman | محمد عبد الرحمن | 1990 | male | Mohammed Abdul Rahman; Muhammad Abderrahmane; Mohd Abdulrahman; Abdel Rahman Mohamed; محمد عبدالرحمن
Gasim | Yagoub | قاسم يعقوب | 1987 | male | Qasim Yacoub; Kassim Yakoub; Gassim Yaqub; قاسم يعقوب; Yagoub Gasim
Gamal | Ragab |  | 1979 | male | Jamal Rajab; Gamaal Rageb; جمال رجب; Ragab Gamal
Othman | Ali | عثمان علي | 1995 | male | Osman Ali; Usman Aly; Ali Osman; عثمان علي
Kadhim | Jawad | كاظم جواد | 1984 | male | Kazem Javad; Kazim Jawad; Kadim Djawad; كاظم جواد
Ahmat | Abakar | أحمد أبكر | 1998 | male | Ahmad Abakar; Ahmed Abbakar; Abakar Ahmat; Ahmed Abaker
Abdallah | Al-Tayeb | عبد الله الطيب | 1992 | male | Abdullah Eltayeb; Abd Allah El Tayeb; Abdalla Tayeb; عبدالله الطيب; Abdullah Al Tayib
Mohamed | Salah | محمد صلاح | 1996 | male | Mohammed Salah; محمد صلاح; Muhamed Salah
Mohamed | Saleh | محمد صالح | 1991 | male | Muhammad Salih; محمد صالح; Mohammed Saleh
Hussein | Abdelgadir | حسين عبد القادر | 1989 | male | Hussain Abdulqadir; Husein Abdel Kader; Hocine Abdelkader; حسين عبدالقادر
Najm Eldin | Adam | نجم الدين آدم | 1993 | male | Nagmeldin Adam; Najmaldeen Adam; Najm al-Din Adam; Najmeddine Adam
Nasreldin | Yahya | نصر الدين يحيى | 1986 | male | Nasr Eldin Yahia; Nasruddin Yahya; نصر الدين يحيى; Nasreddine Yahia
Ibrahim | Haggar |  | 2001 | male | Ibrahim Hajar; Brahim Hagar; Ebrahim Hadjar; إبراهيم حجر
Khadija | Abdelaziz | خديجة عبد العزيز | 1994 | female | Khadidja Abdulaziz; Kadiga Abdel Aziz; Khadeeja Abdelazeez; خديجة عبدالعزيز
Fatima | Elnour |  | 1999 | female | Fatma Al Nur; Fatimah Alnoor; Elnour Fatima; فاطمة النور
Youssef | Abdelmoneim | يوسف عبد المنعم | 1988 | male | Yousif Abdulmonem; Yusuf Abdel Moneim; Youssouf Abdelmonem; يوسف عبدالمنعم
Mahmoud | Ezzeldin | محمود عز الدين | 1990 | male | Mahmud Izz al-Din; Mahmoud Ezz Eldin; Mahmood Ezzaldeen; Mahmoud Izzeddine
Tariq | Al-Zubair | طارق الزبير | 1997 | male | Tarek Elzubeir; Tarig Zubair; Tareq Al Zoubair; طارق الزبير
Abdelrahim | Jibril |  | 1985 | male | Abdul Rahim Gibril; Abderrahim Djibril; Abdelrahim Jebril; عبد الرحيم جبريل
Hassan | Ismail | حسن إسماعيل | 2000 | male | Hasan Ismael; Hassan Esmail; حسن اسماعيل
Hussein | Ismail | حسين إسماعيل | 1983 | male | Husein Ismael; Hussain Ismail; حسين اسماعيل
Amna | Eltahir |  | 1995 | female | Amna El Tahir; Amina Al-Taher; Amna Altahir; آمنة الطاهر
Mohamed | Osman | محمد عثمان | 1980 | male | Muhammad Othman; Mohamed Usman; Md Osman; محمد عثمان
Adam | Abdelkarim |  | 1990 | male | آدم عبد الكريم; Adam Abdul Karim; Adam Abdalkarim; Adam Abdel Kareem
Mubarak | Eisa |  | 1986 | male | مبارك عيسى; Mubarak Issa; Moubarak Aissa; Mobarak Esa
Halima | Bakheet |  | 1997 | female | حليمة بخيت; Halima Bakhit; Haleema Bakhiet; Halimé Bakhit

## somali SO
Mohamed | Hassan |  | 1996 | male | Maxamed Xasan; Mohammed Hasan; Muhammad Xassan; محمد حسن
Cabdi | Cali |  | 1999 | male | Abdi Ali; Abdi Aly; Cali Cabdi; عبدي علي
Abdullahi | Farah |  | 1992 | male | Cabdullaahi Faarax; Abdillahi Farax; Abdulahi Faarah; Cabdilaahi Faarah
Xasan | Cumar |  | 1994 | male | Hassan Omar; Hasan Umar; Xassan Oumar; حسن عمر
Ismail | Warsame |  | 1990 | male | Ismaaciil Warsame; Ismacil Warsame; Smail Warsama
Faadumo | Maxamuud |  | 1997 | female | Fadumo Mahmoud; Faduma Mohamud; Fadhumo Maxamuud; Faadumo Mahamoud
Cawo | Cismaan |  | 2002 | female | Awo Osman; Cawo Osmaan; Awo Usman; Osman Awo
Ahmed | Yusuf |  | 1988 | male | Axmed Yuusuf; Ahmad Yousouf; Axmad Yusuf; أحمد يوسف
Khadra | Jama |  | 1995 | female | Khadro Jaamac; Kadra Jama; Khadra Jamac
Mahmoud | Abdirahman |  | 1991 | male | Maxamuud Cabdiraxmaan; Mahamud Abdi Rahman; Mohamud Abdirahmaan; Mahmud Abdulrahman
Hodan | Hussein |  | 1998 | female | Hodan Xuseen; Hodon Husein; Hodan Huseen
Shukri | Elmi |  | 2000 | female | Shukri Cilmi; Chukri Ilmi; Shukri Cilmi Maxamed
Nasra | Said |  | 1993 | female | Nasra Siciid; Nasro Saeed; Nasra Saciid
Abdikani | Yusuf |  | 1989 | male | Cabdiqani Yuusuf; Abdi Qani Yusuf; Abdighani Yousuf
Liban | Aden |  | 2001 | male | Liibaan Aadan; Libaan Adan; Liban Adan
Ayaan | Cabdullahi |  | 1996 | female | Ayan Abdullahi; Ayaan Abdillahi; Ayan Cabdilaahi
Deeqa | Maxamed |  | 1994 | female | Deka Mohamed; Deeqa Mohamed; Deqa Mahamed
Yasmin | Xirsi |  | 2003 | female | Yasmin Hirsi; Yasmiin Xirsi; Jasmin Hersi

## geez ER
Tekle | Ghebremedhin | ተኽለ ገብረመድህን | 1990 | male | Tekle Gebre Medhin; Tekle Gebremedhin; Tecle Ghebremedhin; ተኽለ ገብረመድህን
Yonas | Tesfamariam |  | 1995 | male | Yonas Tesfa Mariam; Jonas Tesfamaryam; ዮናስ ተስፋማርያም; Yonas Tesfamariyam
Semhar | Gebrehiwet | ሰምሃር ገብረሂወት | 1997 | female | Semhar Gebre Hiwet; Semhar Ghebrehiwot; Semhar Gebrehewet
Filmon | Haile |  | 1993 | male | Filimon Hayle; Philemon Haile; ፊልሞን ሃይለ; Haile Filmon
Mussie | Woldemichael | ሙሴ ወልደሚካኤል | 1988 | male | Musie Wolde Michael; Muse Weldemikael; Mussie Woldemikiel
Senait | Berhane |  | 1999 | female | Senayt Birhane; Senaite Berhanie; ሰናይት ብርሃነ
Habtom | Kidane | ሃብቶም ኪዳነ | 1992 | male | Habtum Kidan; Kidane Habtom; Habtom Kiddane
Tesfalem | Tekeste |  | 1996 | male | Tesfaalem Tekeste; Tesfa Alem Tekeste; ተስፋኣለም ተኸስተ
Hagos | Gebreyohannes | ሓጎስ ገብረዮሃንስ | 1985 | male | Hagos Gebre Yohannes; Hagos Ghebreyohanes; Hagoss Gebreyohannes
Luwam | Teklehaimanot |  | 2000 | female | Lwam Tekle Haimanot; Luam Teklehaymanot; ልዋም ተኽለሃይማኖት
Biniam | Tsegay | ቢንያም ጸጋይ | 1994 | male | Biniyam Tsegai; Binyam Segay; Biniam Tsegaye
Dawit | Mebrahtu |  | 1991 | male | Dawid Mebrahtu; Dawit Mebrahto; ዳዊት መብራህቱ
Abebe | Kebede | አበበ ከበደ | 1982 | male | Abebe Kebbede; Abebe Kebede Tessema; Kebede Abebe
Meron | Woldegiorgis |  | 1998 | female | Meron Wolde Giorgis; Miron Weldegiorgis; ሜሮን ወልደጊዮርጊስ
Efrem | Ghirmay | ኤፍሬም ግርማይ | 1993 | male | Ephrem Girmay; Efrim Germay; Efrem Girmai
Michael | Tesfay |  | 1990 | male | Mikael Tesfai; Mikiel Tesfaye; ሚካኤል ተስፋይ
Yohannes | Araya | ዮሃንስ ኣርኣያ | 1987 | male | Yohanes Araia; Johannes Araya; Yohannes Araya Tekle
Rahel | Gebremariam |  | 1999 | female | Rachel Gebre Mariam; Rahel Ghebremariam; ራሄል ገብረማርያም
Kidane | Weldemariam |  | 1990 | male | ኪዳነ ወልደማርያም; Kidane Wolde Mariam; Kidan Woldemariam
Tsega | Abraham |  | 1996 | female | ጸጋ ኣብርሃም; Sega Abraham; Tsegga Abreham
Goitom | Tewelde |  | 1993 | male | ጎይቶም ተወልደ; Goytom Tewolde; Goitom Tewoldé
Mebrat | Kahsay |  | 1998 | female | መብራት ካሕሳይ; Mebrhat Kahsai; Mebrat Kasay
Yordanos | Asmerom |  | 2001 | female | ዮርዳኖስ ኣስመሮም; Jordanos Asmerom; Yordanus Asmerom
Henok | Zerai |  | 1995 | male | ሄኖክ ዘርኣይ; Henock Zeray; Hennok Zerai
Amanuel | Ghebreslassie |  | 1989 | male | ኣማኑኤል ገብረስላሰ; Amanuel Gebre Selassie; Emanuel Gebreselassie; Amanoel Ghebreselasie
Tigist | Alemu |  | 1994 | female | ትዕግስት ኣለሙ; Tigest Alemu; Tigist Alemou

## afghan AF
Najibullah | Ahmadzai | نجیب الله احمدزی | 1990 | male | Najib Ullah Ahmadzai; Najeebullah Ahmadzay; Nadjiboullah Ahmadzai; نجیب‌الله احمدزی
Abdul Ghafoor | Noori |  | 1986 | male | Abdulghafur Nouri; Abdul Ghafour Nuri; عبدالغفور نوری; Abdul Gafoor Noori
Mohammad Nabi | Rahimi |  | 1994 | male | Mohd Nabi Rahimi; Muhammad Nabi Rahemi; Mohammadnabi Rahimi; محمد نبی رحیمی
Gul Ahmad | Stanekzai |  | 1992 | male | Gulahmad Stanikzai; Gul Ahmed Stanakzai; گل احمد ستانکزی
Zabihullah | Safi | ذبیح الله صافی | 1997 | male | Zabih Ullah Safi; Zabihollah Saafi; Zabeehullah Safi
Rahmatullah | Hotak |  | 1995 | male | Rahmatulla Hotak; Rahmat Ullah Hotak; Rahmatollah Hotak; رحمت الله هوتک
Sayed Mahmood | Hashimi | سید محمود هاشمی | 1989 | male | Sayyed Mahmoud Hashemi; Said Mahmud Hashimi; Sayed Mahmood Hashmi
Farhad | Mohammadi |  | 1999 | male | Farhad Mohamadi; Farhaad Muhammadi; فرهاد محمدی
Khalid | Wardak |  | 1993 | male | Khaled Wardak; Khalid Vardak; Kalid Wardak; خالد وردک
Shafiqullah | Jawid |  | 1996 | male | Shafiq Ullah Javid; Shafiqulla Jawed; Chafikullah Javid
Wahidullah | Zazai |  | 2001 | male | Vahidullah Zazai; Wahid Ullah Zazay; وحیدالله ځاځي
Fawad | Habibi | فواد حبیبی | 1998 | male | Fawaad Habibi; Fowad Habibi; Fawad Habeebi
Hamid | Karimi | حمید کریمی | 1991 | male | Hameed Karimi; Hamed Karimi; Karimi Hamid
Hamid | Rahimi | حمید رحیمی | 1984 | male | Hameed Rahimi; Hamid Rahemi
Zarghuna | Ahmadi | زرغونه احمدی | 2000 | female | Zarghona Ahmadi; Zarghoona Ahmady; Zarguna Ahmadi
Malalai | Sadat |  | 2002 | female | Malalay Saadat; Malalai Sadaat; ملالۍ سادات
Mohammad | Qasim Hotaki |  | 1997 | male | Mohammed Kasim Hotaki; Mohd Qaseem Hotaki; Muhammad Gasim Hotaki

## kurdish IQ
Xalid | Berzinji |  | 1990 | male | Khalid Barzinji; Khaled Barzanji; خالد بەرزنجی
Hevi | Xelil |  | 1996 | female | Hevi Khalil; Hêvî Xelîl; Hevy Khalil
Şêrko | Ebdullah |  | 1988 | male | Sherko Abdullah; Shirko Abdulla; Sherko Ebdulla
Rojhat | Xidir |  | 1995 | male | Rojhat Khidir; Rozhat Khidr; Rojhat Xidr
Newroz | Hesen | نەورۆز حەسەن | 1999 | male | Nawroz Hassan; Nevroz Hesen; Newroz Hasan
Azad | Mihemed |  | 1993 | male | Azad Mohammed; Azad Muhamad; Azad Mihamad
Dilovan | Ehmed |  | 1997 | male | Dilawan Ahmad; Diloven Ahmed; Dilovan Ahmet
Berivan | Osman |  | 2001 | female | Beriwan Othman; Berivan Usman; Berîvan Osman
Karwan | Cemal |  | 1994 | male | Karwan Jamal; Karwan Djamal; Karvan Jamal; کاروان جەمال
Shilan | Mahmud |  | 1998 | female | Shilan Mahmoud; Chilan Mahmoud; Şîlan Mehmûd; شیلان محمود
Hejar | Qadir |  | 1992 | male | Hejar Kadir; Hejar Qader; Hêjar Qadir
Soran | Jalal | سۆران جەلال | 1987 | male | Soran Celal; Soran Djalal; Soran Jalal Mohammed
Jiyan | Xeyri |  | 2003 | female | Jiyan Khairi; Jian Khayri; Jîyan Xeyrî
Bave | Serdar |  | 1985 | male | Bawe Sardar; Bavê Serdar; Bave Sirdar

## westafrica GN
Mamadou | Diallo |  | 1998 | male | Mamadou Jallo; Mamadu Djallo; Diallo Mamadou; Mamadou Dialo
Ousmane | Traoré |  | 2000 | male | Usman Traore; Ousman Traoré; Traoré Ousmane; Osmane Traore
Aboubacar | Sylla |  | 1997 | male | Abubakar Silla; Boubacar Sylla; Aboubakar Sylla; Abubakarr Sila
Fatoumata | Camara |  | 1999 | female | Fatumata Kamara; Fatoumata Kamara; Fatimata Camara
Seydou | Koné |  | 1995 | male | Seidou Kone; Saydou Koné; Seydou Konneh
Lacina | Coulibaly |  | 1993 | male | Lassina Kulibali; Lasina Coulibali; Lacina Koulibaly
Mariam | Cissé |  | 2001 | female | Mariama Sisse; Mariam Cisse; Maryam Sissé
Ibrahima | Sow |  | 1996 | male | Ibrahim Sow; Brahima Sow; Ibrahima Sowe
Cheick Oumar | Keita |  | 1994 | male | Cheikh Omar Keita; Sheikh Oumar Keïta; Cheick Umar Kéita
Abdoulaye | Bah |  | 2002 | male | Abdulai Ba; Abdoulay Bah; Abdoulaye Ba
Aissatou | Barry |  | 2000 | female | Aïssatou Bari; Aisatu Barry; Aissatou Bary
Moussa | Doumbia |  | 1991 | male | Musa Dumbia; Mousa Doumbya; Moussa Dumbiya
Souleymane | Sangaré |  | 1997 | male | Suleiman Sangare; Souleyman Sangaré; Sulayman Sangari
Mohamed Lamine | Condé |  | 1995 | male | Mohamed Lamine Konde; Mouhamed Lamine Condé; Md Lamine Conde; Lamine Conde
Kadiatou | Barry |  | 1999 | female | Kadiatu Bari; Khadiatou Barry; Hadiatou Barry
Alpha Oumar | Baldé |  | 1993 | male | Alfa Oumar Balde; Alpha Umar Baldé; Alfa Omar Balde
"""

# Ranges of the scripts a query may be typed in.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_GEEZ = re.compile("[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]")


@dataclass(frozen=True)
class Target:
    """One person of the set as registered."""

    key: str  # stable label: "<tradition>:<given> <family>"
    tradition: str
    nationality: str
    given_name: str
    family_name: str
    name_original: str
    birth_year: int
    sex: str
    queries: tuple[str, ...]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class Query:
    text: str
    target: str  # Target.key
    tradition: str
    script: str  # latin, arabic, geez
    exact: bool  # the registered full name: must rank the person first


def script_of(text: str) -> str:
    if _GEEZ.search(text):
        return "geez"
    if _ARABIC.search(text):
        return "arabic"
    return "latin"


def targets() -> list[Target]:
    found, tradition, nationality = [], "", ""
    for raw in DATA.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("##"):
            tradition, nationality = line[2:].split()
            continue
        given, family, original, year, sex, queries = (part.strip() for part in line.split("|"))
        found.append(
            Target(
                key=f"{tradition}:{given} {family}",
                tradition=tradition,
                nationality=nationality,
                given_name=given,
                family_name=family,
                name_original=original,
                birth_year=int(year),
                sex=sex,
                queries=tuple(q.strip() for q in queries.split(";") if q.strip()),
            )
        )
    return found


def queries(chosen: list[Target]) -> list[Query]:
    result = []
    for target in chosen:
        result.append(Query(target.full_name, target.key, target.tradition, "latin", True))
        for text in target.queries:
            result.append(Query(text, target.key, target.tradition, script_of(text), False))
    return result


def folded_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.lower())
    return " ".join("".join(c for c in text if c.isalnum() or c == " ").split())


@dataclass
class Outcome:
    query: Query
    rank: int | None  # 1-based position of the target, None when not found
    ahead: list[str]  # names ranked above the target (at most five)

    @property
    def hit(self) -> bool:
        return self.rank is not None and self.rank <= 5


def evaluate(search, chosen: list[Target], ids: dict[str, int], names: dict[int, tuple]):
    """Run every query of ``chosen`` through ``search(query) -> [person ids]``.

    ``ids`` maps Target.key to the registered person's id; ``names`` maps
    person ids to (given, family) for the report and the exact-name check.
    """
    outcomes = []
    for query in queries(chosen):
        ranked = search(query.text)
        wanted = ids[query.target]
        rank = ranked.index(wanted) + 1 if wanted in ranked else None
        ahead = [" ".join(names.get(pk, ("?", "?"))) for pk in ranked[: (rank or 6) - 1][:5]]
        outcomes.append(Outcome(query, rank, ahead))
    return outcomes


def recall(outcomes: list[Outcome]) -> float:
    return sum(o.hit for o in outcomes) / len(outcomes) if outcomes else 1.0


def by(outcomes: list[Outcome], attribute: str) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(getattr(outcome.query, attribute), []).append(outcome)
    return groups


def exact_misranked(outcomes: list[Outcome], target_names: dict[str, str]) -> list[Outcome]:
    """Exact full-name queries whose person is not first, other than behind a
    namesake spelled exactly the same."""
    bad = []
    for outcome in outcomes:
        if not outcome.query.exact:
            continue
        if outcome.rank == 1:
            continue
        mine = folded_name(target_names[outcome.query.target])
        if outcome.rank is None or any(folded_name(name) != mine for name in outcome.ahead):
            bad.append(outcome)
    return bad


def register(actor, project, chosen: list[Target]) -> tuple[dict[str, int], dict[int, tuple]]:
    """Register ``chosen`` through the service, as reception would; their ids and names."""
    from datetime import date

    from parcours.people.services import person_create

    ids, names = {}, {}
    for target in chosen:
        person = person_create(
            actor=actor,
            project=project,
            data={
                "given_name": target.given_name,
                "family_name": target.family_name,
                "name_original": target.name_original,
                "sex": target.sex,
                "birth_date": date(target.birth_year, 1, 1),
                "birth_date_precision": "declared",
                "nationality": target.nationality,
            },
        )
        ids[target.key] = person.pk
        names[person.pk] = (person.given_name, person.family_name)
    return ids, names
